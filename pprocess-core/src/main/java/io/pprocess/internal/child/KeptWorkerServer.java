package io.pprocess.internal.child;

import io.pprocess.internal.wire.ExitStatus;
import io.pprocess.internal.wire.KeptProtocol;
import io.pprocess.internal.spawn.KeptWorkers;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.ChannelException;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.transport.SocketLink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;

/**
 * A kept worker, inside the worker: listens at its socket file and serves one job at a time,
 * each for the one program that claimed it, as if it were a new child of that program; between
 * jobs it waits, and after its idle limit without a job it removes its socket file (and its
 * build's directory, if that is then empty) and exits.
 *
 * <p>A connecting program is checked (its user must be the worker's) and answered at once on
 * an acceptor thread: claimed, busy (another program holds the worker), or described. Because
 * one thread decides, two programs never hold the same worker.
 *
 * <p>Each job starts with the system properties, standard streams, default locale and time
 * zone restored to what they were when the worker started; the job's standard output and
 * error go to the claiming program's when those are a terminal, a pipe or a file opened for
 * appending (else to the worker's own, which is discarded). Static fields, loaded
 * classes and threads a job left running are not reset.
 *
 * <p>If the claiming program dies while a job runs and the job does not end within
 * {@link #ORPHAN_GRACE_MILLIS}, the worker removes its socket file and exits (halting if its
 * exit hangs), as an orphaned child would.
 */
final class KeptWorkerServer {
    static final long ORPHAN_GRACE_MILLIS = 2_000;
    private static final long WATCH_MILLIS = 250;

    private final Path address;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final String description;
    private final Properties properties;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final InputStream in = System.in;
    private final Locale locale = Locale.getDefault();
    private final TimeZone zone = TimeZone.getDefault();

    private final Object lock = new Object();
    private long idleMillis;
    private boolean busy;
    private boolean ending;
    private boolean stopAfterJob;
    private long idleSince = System.currentTimeMillis();
    private long jobs;
    private SocketChannel pending;
    private long claimer;

    private KeptWorkerServer(Path address, ServerSocketChannel server, long idleMillis) throws IOException {
        this.address = address;
        this.server = server;
        this.idleMillis = idleMillis;
        this.owner = address.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        this.description = "java " + System.getProperty("java.home") + " (" + System.getProperty("java.vm.version")
                + "), " + System.getProperty("java.class.path").split(java.io.File.pathSeparator).length
                + " class path entries";
        this.properties = (Properties) System.getProperties().clone();
    }

    /**
     * Runs a kept worker: binds its address, tells the starter its pid (or why it cannot
     * listen), then serves jobs until it has been idle for its limit or is told to stop.
     *
     * @param spec where to listen and the idle limit
     * @param starter the channel to the program that started it, closed here
     * @return the exit status
     */
    static int serve(PersistentSpec spec, FrameChannel starter) {
        Path address = Path.of(spec.address());
        KeptWorkerServer worker;
        try {
            Files.createDirectories(address.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(address), 16);
                Files.setPosixFilePermissions(address, PosixFilePermissions.fromString("rw-------"));
                worker = new KeptWorkerServer(address, server, spec.idleMillis());
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            starter.send(new IOException("cannot listen at " + address + ": " + e.getMessage()));
            starter.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(worker::removeFiles, "pprocess-kept-worker-cleanup"));
        try {
            starter.send(ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            worker.removeFiles();
            return 1;
        }
        starter.close();
        Thread acceptor = new Thread(worker::acceptLoop, "pprocess-kept-worker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread watcher = new Thread(worker::watchClaimer, "pprocess-kept-worker-watch");
        watcher.setDaemon(true);
        watcher.start();
        worker.jobLoop();
        worker.removeFiles();
        return 0;
    }

    private void jobLoop() {
        while (true) {
            SocketChannel job;
            long peer;
            synchronized (lock) {
                while (pending == null) {
                    long left = idleSince + idleMillis - System.currentTimeMillis();
                    if (stopAfterJob || left <= 0) {
                        ending = true;
                        if (!stopAfterJob) {
                            log("idle for " + idleMillis + " ms (its idle limit); ending");
                        }
                        return;
                    }
                    try {
                        lock.wait(left);
                    } catch (InterruptedException e) {
                        ending = true;
                        return;
                    }
                }
                job = pending;
                peer = claimer;
                pending = null;
            }
            runJob(job, peer);
        }
    }

    /**
     * Runs one job as a new child would run its task. The worker counts as free again as soon
     * as the task has returned, before it tells the program so: the program's next start,
     * which may follow at once, then finds it free.
     */
    private void runJob(SocketChannel socket, long peer) {
        FrameChannel channel;
        try {
            channel = new FrameChannel(new SocketLink(socket), null);
        } catch (IOException e) {
            log("cannot use a claiming program's connection: " + e.getMessage());
            close(socket);
            free();
            return;
        }
        redirectOutput(peer);
        boolean freed = false;
        try {
            Object task = channel.receiveTask(Codec::prepare);
            if (!(task instanceof Invocation invocation) || invocation.persistent() != null) {
                free();
                freed = true;
                channel.send(new IllegalArgumentException("a kept worker runs ordinary tasks, not "
                        + (task == null ? "null" : task.getClass().getName())));
                return;
            }
            Throwable failure = null;
            try {
                ChildMain.invoke(invocation, channel);
            } catch (Throwable t) {
                failure = t;
            }
            free();
            freed = true;
            if (failure != null) {
                ChildMain.fail(failure, channel);
            } else if (channel.isOpen()) {
                channel.sendEnd();
            }
        } catch (ChannelException e) {
            // The program closed the channel (its job is over) or went away.
        } catch (RuntimeException e) {
            try {
                channel.send(e);
            } catch (RuntimeException ignored) {
                // Nobody left to tell.
            }
        } finally {
            channel.close();
            restore();
            if (!freed) {
                free();
            }
        }
    }

    private void free() {
        synchronized (lock) {
            busy = false;
            claimer = 0;
            jobs++;
            idleSince = System.currentTimeMillis();
            lock.notifyAll();
        }
    }

    /** The job's output goes where the claiming program's goes, if that can be opened again. */
    private void redirectOutput(long peer) {
        PrintStream jobOut = open(peer, 1, out);
        PrintStream jobErr = open(peer, 2, err);
        System.setOut(jobOut);
        System.setErr(jobErr);
    }

    private static PrintStream open(long peer, int fd, PrintStream fallback) {
        if (peer <= 0) {
            return fallback;
        }
        Path path = Path.of("/proc", Long.toString(peer), "fd", Integer.toString(fd));
        try {
            String t = Files.readSymbolicLink(path).toString();
            boolean pipe = t.startsWith("pipe:");
            boolean tty = t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/null");
            if (!pipe && !tty && !(t.startsWith("/") && appending(peer, fd))) {
                return fallback;
            }
            return new PrintStream(new FileOutputStream(path.toFile(), true), true);
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /**
     * Tells whether a descriptor of the program was opened for appending: only then can the
     * worker add to the same file without overwriting what the program writes after it.
     */
    private static boolean appending(long peer, int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(peer), "fdinfo", Integer.toString(fd)))) {
            if (line.startsWith("flags:")) {
                int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
                return (flags & 02000) != 0;
            }
        }
        return false;
    }

    private void restore() {
        PrintStream jobOut = System.out;
        PrintStream jobErr = System.err;
        System.setOut(out);
        System.setErr(err);
        System.setIn(in);
        if (jobOut != out) {
            jobOut.flush();
            jobOut.close();
        }
        if (jobErr != err) {
            jobErr.flush();
            jobErr.close();
        }
        System.setProperties((Properties) properties.clone());
        Locale.setDefault(locale);
        TimeZone.setDefault(zone);
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel peer;
            try {
                peer = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                answer(peer);
            } catch (IOException | RuntimeException e) {
                close(peer);
            }
        }
    }

    private void answer(SocketChannel peer) throws IOException {
        jdk.net.UnixDomainPrincipal who = peer.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
        long pid = ProcessHandle.current().pid();
        if (who == null || !who.user().equals(owner)) {
            KeptProtocol.writeFully(peer, KeptProtocol.reply(KeptProtocol.REFUSED, pid, 0, 0, 0,
                    "peer user " + (who == null ? "unknown" : who.user().getName()) + " is not the owner "
                            + owner.getName()));
            close(peer);
            return;
        }
        ByteBuffer request = ByteBuffer.allocate(KeptProtocol.REQUEST_BYTES);
        KeptProtocol.readFully(peer, request);
        request.flip();
        KeptProtocol.checkMagic(request);
        byte op = request.get();
        request.position(request.position() + 3);
        long peerPid = request.getLong();
        long wantedIdle = request.getLong();
        byte status;
        boolean keep = false;
        synchronized (lock) {
            if (ending) {
                status = KeptProtocol.ENDING;
            } else if (op == KeptProtocol.CLAIM) {
                if (busy) {
                    status = KeptProtocol.BUSY;
                } else {
                    busy = true;
                    keep = true;
                    status = KeptProtocol.CLAIMED;
                    if (wantedIdle > 0) {
                        idleMillis = wantedIdle;
                    }
                }
            } else if (op == KeptProtocol.STOP) {
                if (busy) {
                    stopAfterJob = true;
                    status = KeptProtocol.ENDING_LATER;
                } else {
                    stopAfterJob = true;
                    status = KeptProtocol.ENDING;
                    lock.notifyAll();
                }
            } else {
                status = KeptProtocol.DESCRIBED;
            }
            KeptProtocol.writeFully(peer, KeptProtocol.reply(status, pid, busy ? 0 : idleSince, jobs, idleMillis,
                    description));
            if (keep) {
                pending = peer;
                claimer = peerPid;
                lock.notifyAll();
            }
        }
        if (!keep) {
            close(peer);
        }
    }

    /** Halts the worker if the program that holds it has died and its job does not end. */
    private void watchClaimer() {
        long goneSince = 0;
        long watched = 0;
        while (true) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long peer;
            synchronized (lock) {
                peer = busy ? claimer : 0;
            }
            if (peer <= 0 || peer != watched) {
                watched = peer;
                goneSince = 0;
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(peer);
            if (h.isPresent() && h.get().isAlive()) {
                goneSince = 0;
            } else if (goneSince == 0) {
                goneSince = System.nanoTime();
            } else if (System.nanoTime() - goneSince > ORPHAN_GRACE_MILLIS * 1_000_000L) {
                log("the program (pid " + peer + ") that held this worker died and its job did not end;"
                        + " ending the worker");
                removeFiles();
                ChildMain.endOrphan(ExitStatus.NO_PARENT);
            }
        }
    }

    /**
     * Removes the socket file, then the build's directory if it is empty, then the base
     * directory if it is the default one and empty.
     */
    private synchronized void removeFiles() {
        close(server);
        try {
            Files.deleteIfExists(address);
            Path build = address.getParent();
            Files.deleteIfExists(build);
            Path base = build.getParent();
            if (base != null && base.getFileName().toString().startsWith(KeptWorkers.DEFAULT_BASE_NAME)) {
                Files.deleteIfExists(base);
            }
        } catch (IOException e) {
            // Not empty: other workers (or another build's) still live there.
        }
    }

    private void log(String message) {
        err.println(Instant.now() + " pprocess kept worker " + ProcessHandle.current().pid() + " at " + address
                + ": " + message);
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Being dropped.
        }
    }
}
