package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.PersistentOptions;
import io.pprocess.indexer.Messages.Slice;
import io.pprocess.indexer.Messages.StopWorker;
import io.pprocess.indexer.Messages.WorkerJob;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Indexing workers kept running between runs of the command ({@code --keep-workers}): pprocess
 * persistent processes, each listening on a UNIX-domain socket, that a later run connects to
 * instead of starting new JVMs, so that it finds their code compiled.
 *
 * <p>Workers live under a base directory (mode 0700, owned by the user), in a subdirectory
 * named by a key of this build: the Java installation, the class path (each entry's path,
 * size and modification time) and the child JVM options, so that a rebuilt or reconfigured
 * indexer never talks to workers of another build. Worker {@code i} listens at
 * {@code worker-i.sock}; a run claims it by locking {@code worker-i.lock}, so two runs never
 * share a worker. A worker that is missing or stale is started afresh. A worker nobody uses
 * for its idle limit ends by itself; {@link #stop} ends them at once.
 *
 * <p>Thread-safe: {@link #start} may be called from several threads.
 */
final class KeptWorkers implements AutoCloseable {
    /** How long a worker waits for its next run by default. */
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    /** The most workers of one build. */
    static final int MAX_WORKERS = 64;
    /** How long {@link #stop} waits for a worker to end when told to, and again after SIGTERM. */
    static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private static final String PREFIX = "worker-";
    private final Path directory;
    private final PersistentOptions options;
    private final Map<Channel, Claim> claims = new HashMap<>();
    private final Set<Integer> claimed = new java.util.HashSet<>();
    private boolean closed;

    /** A worker this run holds: its number, and its lock file, whose lock the open channel holds. */
    private record Claim(int number, FileChannel file) {
        /** Closes the lock file, which releases the lock. */
        void free() {
            try {
                file.close();
            } catch (IOException e) {
                // Closing releases the lock even when it reports an error.
            }
        }
    }

    private KeptWorkers(Path directory, Duration idle) {
        this.directory = directory;
        this.options = PersistentOptions.defaults().idleLimit(idle);
    }

    /**
     * Opens the workers of this build under {@code base}, creating the directories.
     *
     * @param base the base directory
     * @param idle how long a worker waits for its next run
     * @return the workers
     * @throws IOException if a directory cannot be created, or is not private to this user
     */
    static KeptWorkers open(Path base, Duration idle) throws IOException {
        Path dir = privateDirectory(privateDirectory(base).resolve(buildKey()));
        return new KeptWorkers(dir, idle);
    }

    /** @return the default base directory: under {@code $XDG_RUNTIME_DIR}, else the temporary directory */
    static Path defaultBase() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "pprocess-indexer");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "pprocess-indexer-" + System.getProperty("user.name"));
    }

    /** @return the directory of this build's workers */
    Path directory() {
        return directory;
    }

    /**
     * Claims a free worker, starting it if none listens, and gives it a slice.
     *
     * @param slice the files
     * @param token the job's token
     * @return the connected channel, or {@code null} if all {@link #MAX_WORKERS} are in use
     * @throws PProcessException if the worker can be neither reached nor started
     */
    Channel start(Slice slice, long token) {
        Claim claim = claim();
        if (claim == null) {
            return null;
        }
        Channel channel = null;
        try {
            channel = connectOrStart(claim.number());
            channel.sendUnacknowledged(new WorkerJob(token, slice));
            synchronized (this) {
                claims.put(channel, claim);
            }
            return channel;
        } catch (RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            unclaim(claim);
            throw e;
        }
    }

    private Channel connectOrStart(int number) {
        Path address = directory.resolve(PREFIX + number + ".sock");
        if (Files.exists(address)) {
            try {
                return PProcess.connectPersistent(address);
            } catch (ChannelException e) {
                // Stale: its worker has ended (idle limit) or died; start one in its place.
            }
        }
        return PProcess.startPersistent(address, options.log(directory.resolve(PREFIX + number + ".log")),
                KeptWorker.TASK).connect();
    }

    /**
     * Closes the channel of a worker that has finished its job (the worker waits for its next
     * run) and frees its claim.
     *
     * @param channel a channel from {@link #start}
     */
    void release(Channel channel) {
        Claim claim;
        synchronized (this) {
            claim = claims.remove(channel);
        }
        channel.close();
        if (claim != null) {
            unclaim(claim);
        }
    }

    /** Closes every channel still open and frees every claim. */
    @Override
    public void close() {
        List<Channel> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(claims.keySet());
        }
        for (Channel c : open) {
            release(c);
        }
    }

    private Claim claim() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("kept workers are closed");
            }
            for (int i = 0; i < MAX_WORKERS; i++) {
                if (claimed.contains(i)) {
                    continue;
                }
                Claim claim = lock(directory.resolve(PREFIX + i + ".lock"), i);
                if (claim != null) {
                    claimed.add(i);
                    return claim;
                }
            }
            return null;
        }
    }

    private synchronized void unclaim(Claim claim) {
        claim.free();
        claimed.remove(claim.number());
    }

    /** @return the lock of a worker's lock file, or {@code null} if another run holds it */
    private static Claim lock(Path path, int number) {
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            return null;
        }
        Claim claim = new Claim(number, file);
        try {
            if (file.tryLock() != null) {
                return claim;
            }
        } catch (IOException | OverlappingFileLockException e) {
            // In use (or unusable): try the next worker.
        }
        claim.free();
        return null;
    }

    /**
     * Ends the kept workers of every build under {@code base} that no run is using.
     *
     * @param base the base directory
     * @return what was done, one line per worker: stopped, or why not
     * @throws IOException if the base directory exists but cannot be read
     */
    static List<String> stop(Path base) throws IOException {
        List<String> report = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return report;
        }
        List<Path> sockets = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, 2)) {
            walk.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d{1,9}\\.sock"))
                    .sorted().forEach(sockets::add);
        }
        for (Path socket : sockets) {
            String name = socket.getFileName().toString();
            int number = Integer.parseInt(name.substring(PREFIX.length(), name.length() - ".sock".length()));
            Claim claim = lock(socket.resolveSibling(PREFIX + number + ".lock"), number);
            if (claim == null) {
                report.add(socket + ": in use by a run, not stopped");
                continue;
            }
            try (Channel channel = PProcess.connectPersistent(socket)) {
                long pid = channel.pid();
                channel.sendUnacknowledged(new StopWorker());
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                String outcome;
                if (process.isEmpty() || ended(process.get())) {
                    outcome = "stopped (pid " + pid + ")";
                } else {
                    // A worker of another build may not understand the message: end it by signal.
                    process.get().destroy();
                    outcome = ended(process.get()) ? "stopped by SIGTERM (pid " + pid + ")"
                            : "still running (pid " + pid + ") after SIGTERM";
                }
                report.add(socket + ": " + outcome);
            } catch (ChannelException e) {
                Files.deleteIfExists(socket);
                report.add(socket + ": not running (stale socket removed)");
            } finally {
                claim.free();
            }
        }
        return report;
    }

    /** @return whether the process ended within {@link #STOP_WAIT} */
    private static boolean ended(ProcessHandle process) {
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Creates {@code dir} (mode 0700) if it is missing and checks that it is a directory of this
     * user that nobody else can use; an existing directory is never changed.
     */
    private static Path privateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Created meanwhile by another run; checked below.
            }
        }
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        Object uid = Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        long me = new com.sun.security.auth.module.UnixSystem().getUid();
        if (!(uid instanceof Integer owner) || owner != me) {
            throw new IOException(dir + " belongs to another user (uid " + uid + ")");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!permissions.equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException(dir + " is open to other users (mode " + PosixFilePermissions.toString(permissions)
                    + "); workers need a directory of mode rwx------");
        }
        return dir;
    }

    /**
     * Names this build: a hash of the Java installation, the class path entries (path, size,
     * modification time; for a directory, of every file in it) and the child JVM options.
     *
     * @return 16 hex digits
     * @throws IOException if a class path directory cannot be read
     */
    static String buildKey() throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        text.append(String.join(" ", PProcess.jvmOptions())).append('\n');
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        describe(text, f);
                    }
                }
            } else if (Files.exists(path)) {
                describe(text, path);
            }
        }
        byte[] digest = sha.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static void describe(StringBuilder text, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        text.append(file).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
    }
}
