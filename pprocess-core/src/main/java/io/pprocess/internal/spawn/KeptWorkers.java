package io.pprocess.internal.spawn;

import io.pprocess.internal.wire.KeptProtocol;
import io.pprocess.KeptWorker;
import io.pprocess.PProcessException;
import io.pprocess.internal.Cores;
import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.transport.SocketLink;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Workers kept between programs, from the program's side: finds an idle kept worker of this
 * build and claims it, or starts a new one, so that a start costs a connection instead of a JVM
 * start and finds the worker's code compiled.
 *
 * <p>Layout: a base directory of this user (mode 0700, refused if it is open to others or
 * belongs to another user), in it one directory per build (a digest of the Java installation,
 * the JVM options and the class path with each file's size and time), in that one socket file
 * per worker, {@code w-<random>.sock}. A worker claimed by a program answers every other
 * program "busy" until the program lets it go (see {@code io.pprocess.internal.child.KeptWorkerServer}); a socket file
 * nobody listens on (a killed worker) is removed by the next program that finds it.
 *
 * <p>Off unless {@link #keep(Duration)} is called, or {@code -Dpprocess.keepWorkers} or
 * {@code PPROCESS_KEEP_WORKERS} is set (an ISO-8601 duration such as {@code PT5M}, or
 * {@code 90s}, {@code 5m}, {@code 1h}; {@code 0} or {@code off} turns it off).
 */
public final class KeptWorkers {
    /** The name of the default base directory (with the user's name after it in the temporary directory). */
    public static final String DEFAULT_BASE_NAME = "pprocess-workers";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final String SOCKET_PREFIX = "w-";
    private static final String SOCKET_SUFFIX = ".sock";
    /** How long a start waits for a worker this program let go to finish its last job. */
    private static final long FINISH_WAIT_MILLIS = 300;
    /** How long a worker counts as just let go by this program. */
    private static final long LET_GO_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Workers this program let go, by pid, with when ({@link System#nanoTime}). */
    private static final Map<Long, Long> LET_GO = new ConcurrentHashMap<>();
    /** How long {@link #stop} waits for a worker told to end. */
    private static final long STOP_WAIT_MILLIS = 3_000;

    private static volatile long idleMillis = parseSetting();
    private static volatile int max = Setting.KEPT_WORKERS_MAX.intValue(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 1);
    private static volatile boolean warned;
    /** Counts {@link #claimIdle} calls, so that claims made at once start at different workers. */
    private static final java.util.concurrent.atomic.AtomicInteger CLAIMS = new java.util.concurrent.atomic.AtomicInteger();
    private static String cachedKeyOptions;
    private static Path cachedDirectory;

    private KeptWorkers() {
    }

    /**
     * Holds the random source of new workers' names, so that a program that only claims
     * workers never sets up the JDK's security providers (tens of milliseconds in a new JVM).
     */
    private static final class Names {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * Turns keeping on (or off) for children started from now on.
     *
     * @param idle how long a kept worker waits for a job before it ends; zero turns keeping off
     * @throws IllegalArgumentException if it is negative or shorter than a second
     */
    public static void keep(Duration idle) {
        if (idle == null || idle.isNegative() || (!idle.isZero() && idle.toMillis() < 1000)) {
            throw new IllegalArgumentException("idle limit must be zero (off) or at least 1 s: " + idle);
        }
        idleMillis = idle.toMillis();
        if (!idle.isZero()) {
            prepareAhead();
        }
    }

    /**
     * Works out the build's directory on a thread of its own, so that the first start of the
     * program finds it ready (naming the build reads every class path entry's size and time),
     * and sets up the JDK's UNIX-domain sockets, which a claim uses (a new JVM spends 20-30 ms
     * on that, most of it the set-up of the JDK's security providers for the random names of
     * its sockets); it counts the cores first. The codec is not loaded ahead: the first
     * {@code pmap} over plain numbers needs no Kryo in this process, and creating one here would
     * take the core and the jar's lock from the map.
     */
    private static void prepareAhead() {
        Thread t = new Thread(new Prepare(), "pprocess-kept-workers-prepare");
        t.setDaemon(true);
        t.start();
    }

    /**
     * What {@link #prepareAhead} does, first the count of physical cores that the first
     * {@code pmap} asks for at once (it reads {@code /proc/cpuinfo}). A class, not a lambda: in a
     * new JVM a first lambda costs milliseconds to make, and the claims wait for this thread.
     */
    private static final class Prepare implements Runnable {
        @Override
        public void run() {
            try {
                Cores.physical();
                buildDirectory();
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
            } catch (IOException | RuntimeException e) {
                // The first start reports it.
            }
        }
    }

    /** @return the idle limit of kept workers, zero when workers are not kept */
    public static Duration idleLimit() {
        return Duration.ofMillis(idleMillis);
    }

    /**
     * Sets the most kept workers of one build, counting those other programs hold.
     *
     * @param count at least 1
     */
    public static void setMax(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("kept worker count < 1: " + count);
        }
        max = count;
    }

    /**
     * Returns the base directory: {@code pprocess.keptWorkersDir} or
     * {@code PPROCESS_KEPT_WORKERS_DIR} if set, else {@code $XDG_RUNTIME_DIR/pprocess-workers},
     * else {@code pprocess-workers-<user>} in the temporary directory.
     *
     * @return the base directory (it may not exist)
     */
    public static Path base() {
        String configured = Setting.KEPT_WORKERS_DIR.raw();
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, DEFAULT_BASE_NAME);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_BASE_NAME + "-" + System.getProperty("user.name"))
                .toAbsolutePath();
    }

    /**
     * Claims an idle kept worker of this build, or starts one if fewer than the most are
     * running.
     *
     * @return the channel to a claimed worker, ready for a task frame; {@code null} when workers
     *     are not kept, all the build's workers are busy and the most are running, or kept
     *     workers cannot be used here (a warning says why, once)
     */
    public static FrameChannel take() {
        long idle = idleMillis;
        if (idle == 0) {
            return null;
        }
        Path dir;
        try {
            dir = buildDirectory();
        } catch (IOException e) {
            warn("workers are not kept: " + e.getMessage());
            return null;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            int running = 0;
            List<Path> finishing = new ArrayList<>(0);
            for (Path socket : sockets(dir)) {
                Claim c = claim(socket, idle);
                if (c.channel != null) {
                    return c.channel;
                }
                if (c.live) {
                    running++;
                    if (recentlyLetGo(c.pid)) {
                        finishing.add(socket);
                    }
                }
            }
            FrameChannel finished = claimOnceFinished(finishing, idle);
            if (finished != null) {
                return finished;
            }
            if (running >= max) {
                return null;
            }
            Path address = dir.resolve(SOCKET_PREFIX + HexFormat.of().toHexDigits(Names.RANDOM.nextInt()) + SOCKET_SUFFIX);
            try {
                createBuildDirectory();
            } catch (IOException e) {
                warn("workers are not kept: " + e.getMessage());
                return null;
            }
            try {
                Launcher.startKept(address, idle);
            } catch (PProcessException e) {
                warn("cannot start a kept worker (" + e.getMessage() + "); starting ordinary children instead");
                return null;
            }
            Claim c = claim(address, idle);
            if (c.channel != null) {
                return c.channel;
            }
        }
        return null;
    }

    /**
     * Claims an idle kept worker of this build if one is free, and never starts one: for a
     * claim made before the program knows it will run anything. Claims made at once start
     * at different workers of the build, so that they do not all ask the same one first.
     *
     * @return the channel to a claimed worker, ready for a task frame; {@code null} when workers
     *     are not kept or none is free
     */
    public static FrameChannel claimIdle() {
        long idle = idleMillis;
        if (idle == 0) {
            return null;
        }
        List<Path> sockets;
        try {
            sockets = sockets(buildDirectory());
        } catch (IOException e) {
            // take() warns.
            return null;
        }
        int n = sockets.size();
        int first = n == 0 ? 0 : Math.floorMod(CLAIMS.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Claim c = claim(sockets.get((first + i) % n), idle);
            if (c.channel != null) {
                return c.channel;
            }
        }
        return null;
    }

    /**
     * A claim's outcome.
     *
     * @param channel the claimed worker's channel, or null
     * @param live whether the worker is running (claimed, or busy with another job)
     * @param pid the worker's process id if it answered, else 0
     */
    private record Claim(FrameChannel channel, boolean live, long pid) {
    }

    /**
     * Notes that this program let a worker go. Its job may still be finishing (the program can
     * close the channel before the task has returned), and the worker answers "busy" until it
     * has: the program's next start waits for it briefly rather than starting a JVM beside it.
     *
     * @param pid the worker's process id
     */
    static void letGo(long pid) {
        long now = System.nanoTime();
        LET_GO.values().removeIf(t -> now - t > LET_GO_MEMORY_NANOS);
        LET_GO.put(pid, now);
    }

    private static boolean recentlyLetGo(long pid) {
        Long t = LET_GO.get(pid);
        return t != null && System.nanoTime() - t <= LET_GO_MEMORY_NANOS;
    }

    /**
     * Claims the first of the workers this program just let go that becomes free within
     * {@link #FINISH_WAIT_MILLIS}, a fraction of a new worker's start.
     *
     * @return its channel, or null if none became free in time
     */
    private static FrameChannel claimOnceFinished(List<Path> finishing, long idle) {
        if (finishing.isEmpty()) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINISH_WAIT_MILLIS);
        while (true) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            boolean anyBusy = false;
            for (Path socket : finishing) {
                Claim c = claim(socket, idle);
                if (c.channel != null) {
                    return c.channel;
                }
                anyBusy |= c.live;
            }
            if (!anyBusy || System.nanoTime() - deadline >= 0) {
                return null;
            }
        }
    }

    private static Claim claim(Path socket, long idle) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return new Claim(null, false, 0);
        }
        try {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                removeStale(socket, e);
                close(ch);
                return new Claim(null, false, 0);
            }
            KeptProtocol.writeFully(ch, KeptProtocol.request(KeptProtocol.CLAIM, ProcessHandle.current().pid(), idle));
            KeptProtocol.Reply reply = KeptProtocol.readReply(ch);
            if (reply.status() == KeptProtocol.CLAIMED) {
                FrameChannel claimed = new FrameChannel(new SocketLink(ch), new KeptProcess(reply.pid()));
                // Closing the job's channel ends the job, not the worker: no exit grace against
                // it (a kill 2 s later would hit the worker in a later job). terminate() still
                // kills it.
                claimed.leaveRunning();
                LET_GO.remove(reply.pid());
                return new Claim(claimed, true, reply.pid());
            }
            if (reply.status() == KeptProtocol.REFUSED) {
                warn("kept worker at " + socket + " refused us: " + reply.text());
            }
            close(ch);
            return new Claim(null, reply.status() == KeptProtocol.BUSY, reply.pid());
        } catch (IOException | RuntimeException e) {
            close(ch);
            return new Claim(null, false, 0);
        }
    }

    /** Removes a socket file nobody listens on: its worker was killed. */
    private static void removeStale(Path socket, IOException why) {
        if (why instanceof java.net.ConnectException || String.valueOf(why.getMessage()).contains("refused")) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // Another program removed it first.
            }
        }
    }

    /** @return the socket files of a build's directory, in name order */
    private static List<Path> sockets(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, SOCKET_PREFIX + "*" + SOCKET_SUFFIX)) {
            for (Path p : s) {
                out.add(p);
            }
        } catch (IOException e) {
            // Removed by a worker that ended: none.
        }
        out.sort(null);
        return out;
    }

    /**
     * Returns this build's directory, checking the base directory and the build's directory
     * where they exist; creates nothing (see {@link #createBuildDirectory}).
     *
     * @return the directory, which may not exist yet
     * @throws IOException if the base or build directory is not a directory, is not this
     *     user's, or is open to others
     */
    public static Path buildDirectory() throws IOException {
        String options = String.join(" ", Launcher.jvmOptions()) + "|" + Setting.MAX_FRAME_BYTES.raw();
        Path base = base();
        Path dir;
        synchronized (KeptWorkers.class) {
            if (cachedDirectory == null || !options.equals(cachedKeyOptions) || !cachedDirectory.startsWith(base)) {
                cachedDirectory = base.resolve(buildKey(options));
                cachedKeyOptions = options;
            }
            dir = cachedDirectory;
        }
        checkIfPresent(base);
        checkIfPresent(dir);
        return dir;
    }

    /**
     * Returns this build's directory, creating it and the base directory (mode 0700) if they
     * are missing: done only when a worker is to be started in it, so that a program that
     * starts none leaves nothing behind.
     *
     * @return the directory
     * @throws IOException as {@link #buildDirectory}, or if a directory cannot be created
     */
    static Path createBuildDirectory() throws IOException {
        Path dir = buildDirectory();
        privateDirectory(dir.getParent());
        privateDirectory(dir);
        return dir;
    }

    private static void checkIfPresent(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            check(dir);
        }
    }

    /**
     * Creates {@code dir} (0700) if missing and checks that it is this user's directory that
     * nobody else can use; an existing directory is never changed.
     */
    static void privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // Made meanwhile by another program: checked below.
            }
        }
        check(dir);
    }

    private static void check(Path dir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        Object uid = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object myUid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!uid.equals(myUid)) {
            throw new IOException(dir + " belongs to another user (uid " + uid + ")");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!mode.equals(OWNER_ONLY)) {
            throw new IOException(dir + " is open to other users (mode " + PosixFilePermissions.toString(mode)
                    + "); kept workers need a directory of mode rwx------");
        }
    }

    /**
     * Names a build: a 64-bit FNV-1a hash of the Java installation and version, the children's
     * JVM options and the class path, each entry with its size and modification time (every
     * file of a directory entry). The name only tells builds apart inside this user's private
     * directory, so a fast non-cryptographic hash does (a new JVM would spend tens of
     * milliseconds setting up the JDK's message digests before its first start).
     */
    static String buildKey(String options) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version"))
                .append('\n').append(options).append('\n');
        ChildClassPath.Paths paths = ChildClassPath.current();
        List<String> entries = new ArrayList<>(paths.classPath());
        if (paths.onModulePath()) {
            text.append("module path\n");
            entries.addAll(paths.modulePath());
        }
        for (String entry : entries) {
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
            } else {
                text.append(path).append(" missing\n");
            }
        }
        return hash(text);
    }

    /** The 64-bit FNV-1a hash of the text's UTF-16 code units, as 16 hexadecimal digits. */
    static String hash(CharSequence text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(h);
    }

    private static void describe(StringBuilder text, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        text.append(file).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
    }

    /**
     * Lists the kept workers of every build under the base directory, as each describes itself.
     *
     * @return the workers, by address
     */
    public static List<KeptWorker> list() {
        List<KeptWorker> out = new ArrayList<>();
        for (Path socket : allSockets()) {
            KeptProtocol.Reply r = ask(socket, KeptProtocol.INFO);
            if (r != null && r.status() == KeptProtocol.DESCRIBED) {
                out.add(worker(socket, r));
            }
        }
        return out;
    }

    /**
     * Ends the kept workers of every build under the base directory: an idle one at once, a
     * busy one as soon as its job is done; waits up to 3 s for the idle ones to end.
     *
     * @return the workers told to end, as they were
     */
    public static List<KeptWorker> stop() {
        List<KeptWorker> out = new ArrayList<>();
        List<Long> ending = new ArrayList<>();
        for (Path socket : allSockets()) {
            KeptProtocol.Reply r = ask(socket, KeptProtocol.STOP);
            if (r == null) {
                continue;
            }
            if (r.status() == KeptProtocol.ENDING || r.status() == KeptProtocol.ENDING_LATER) {
                out.add(worker(socket, r));
            }
            if (r.status() == KeptProtocol.ENDING) {
                ending.add(r.pid());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (long pid : ending) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                continue;
            }
            try {
                h.get().onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Still ending: it removes its files on the way out.
            }
        }
        return out;
    }

    private static KeptWorker worker(Path socket, KeptProtocol.Reply r) {
        boolean busy = r.status() == KeptProtocol.ENDING_LATER || r.idleSince() == 0;
        return new KeptWorker(r.pid(), socket, busy,
                busy ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.idleSince())),
                Duration.ofMillis(r.idleLimitMillis()), r.jobs(), r.text());
    }

    private static KeptProtocol.Reply ask(Path socket, byte op) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                removeStale(socket, e);
                return null;
            }
            KeptProtocol.writeFully(ch, KeptProtocol.request(op, ProcessHandle.current().pid(), 0));
            return KeptProtocol.readReply(ch);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<Path> allSockets() {
        Path base = base();
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try {
            check(base);
        } catch (IOException e) {
            warn("kept workers directory refused: " + e.getMessage());
            return out;
        }
        try (DirectoryStream<Path> builds = Files.newDirectoryStream(base)) {
            for (Path b : builds) {
                if (Files.isDirectory(b, LinkOption.NOFOLLOW_LINKS)) {
                    out.addAll(sockets(b));
                }
            }
        } catch (IOException e) {
            // Removed meanwhile: nothing to list.
        }
        out.sort(null);
        return out;
    }

    /**
     * Parses an idle-limit setting: an ISO-8601 duration, or a number with {@code s}, {@code m}
     * or {@code h}; {@code 0}, {@code off}, {@code false} or {@code no} mean off.
     *
     * @param text the setting
     * @return the limit, zero for off
     * @throws IllegalArgumentException naming the text if it is none of those
     */
    public static Duration parseIdle(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("0") || t.equals("off") || t.equals("false") || t.equals("no")) {
            return Duration.ZERO;
        }
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            char unit = t.charAt(t.length() - 1);
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (unit) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException("not an idle limit (such as PT5M, 90s, 5m, 1h, or off): " + text);
    }

    /** @return whether {@code pprocess.keepWorkers} or {@code PPROCESS_KEEP_WORKERS} is set */
    public static boolean configured() {
        return Setting.KEEP_WORKERS.raw() != null;
    }

    private static long parseSetting() {
        String value = Setting.KEEP_WORKERS.raw();
        if (value == null) {
            return 0;
        }
        try {
            Duration d = parseIdle(value);
            return d.isZero() ? 0 : Math.max(1000, d.toMillis());
        } catch (IllegalArgumentException e) {
            System.err.println("pprocess: " + Setting.KEEP_WORKERS.key() + " (or " + Setting.KEEP_WORKERS.environment()
                    + "): " + e.getMessage() + "; workers are not kept");
            return 0;
        }
    }

    private static void warn(String message) {
        if (!warned) {
            warned = true;
            System.err.println("pprocess: " + message);
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Being dropped.
        }
    }
}
