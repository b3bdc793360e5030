package io.pprocess.internal.spawn;

import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.channel.ChildReaper;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * JDK 25's ahead-of-time cache for children whose Java is 25 or later: classes loaded and
 * linked ahead, and the method profiles of a training run, so a new child reaches compiled
 * code sooner than with a dynamic class-data-sharing archive.
 *
 * <p>The cache of a build (the same key as its {@link ClassDataSharing} archive) is made in
 * two steps. The first child started while no cache exists records its AOT configuration
 * ({@code -XX:AOTMode=record}), written by its JVM when it exits. A small detached shell
 * started beside that child waits for it to end, then assembles the cache with
 * {@code -XX:AOTMode=create} at a lower priority ({@code nice}) and publishes it as
 * {@code <key>.aot}; it needs nothing from the JVM that started the child, which may have
 * exited long before. Later children map the cache ({@code -XX:AOTCache}). A lock file,
 * {@code <key>.aot.lock}, made atomically, keeps every other JVM from recording the same build
 * meanwhile; those children map the build's dynamic archive if it has one. If the recording
 * child is killed, its configuration is incomplete or missing: the assembly fails, the shell
 * removes what is left, and a later child records again.
 *
 * <p>Left out (the child gets the dynamic archive, as on earlier JDKs) when the children's own
 * options name an ahead-of-time, {@code -Xshare} or archive option, or with
 * {@code -Dpprocess.aot=false}.
 */
final class AheadOfTimeCache {
    /** The first Java release whose JVM has the ahead-of-time cache used here. */
    static final int FIRST_RELEASE = 25;

    /** How long a recording and its assembly may hold the lock before another JVM records again. */
    static final long LOCK_STALE_MILLIS = 2 * 3_600_000L;

    /** How long the shell waits for the recording child before it gives up. */
    static final long WATCH_LIMIT_SECONDS = 2 * 3_600L;

    /** Keeps the JVM's own messages about the cache (a stale or refused cache among them) quiet. */
    private static final List<String> QUIET = quiet();

    private static List<String> quiet() {
        List<String> quiet = new ArrayList<>(List.of("-Xlog:aot*=off"));
        quiet.addAll(ClassDataSharing.QUIET);
        return List.copyOf(quiet);
    }

    /**
     * The shell that waits for the recording child ($1, its pid), assembles the cache with the
     * command after the four paths and publishes it. Every path it leaves behind is one of
     * {@code <key>.aotconf}, {@code <key>.aot.tmp} and {@code <key>.aot.lock}, all removed.
     */
    private static final String WATCHER = String.join("\n",
            "pid=$1; conf=$2; tmp=$3; cache=$4; lock=$5; limit=$6; shift 6",
            "trap 'rm -f \"$conf\" \"$tmp\" \"$lock\"; exit 1' HUP INT TERM",
            "i=0",
            "while kill -0 \"$pid\" 2>/dev/null && [ \"$i\" -lt \"$limit\" ]; do sleep 0.5; i=$((i + 1)); done",
            "if [ -s \"$conf\" ] && ! kill -0 \"$pid\" 2>/dev/null; then",
            "  if command -v nice >/dev/null 2>&1; then nice -n 10 \"$@\"; else \"$@\"; fi"
                    + " && [ -s \"$tmp\" ] && mv -f \"$tmp\" \"$cache\"",
            "fi",
            "rm -f \"$conf\" \"$tmp\" \"$lock\"");

    private AheadOfTimeCache() {
    }

    /**
     * Whether children started with {@code options} get the ahead-of-time cache.
     *
     * @param javaRelease the children's Java feature release
     * @param options the children's extra options
     * @return true when the release has it, it is not turned off and no option of the
     *     children's own asks for an archive of another kind
     */
    static boolean applies(int javaRelease, List<String> options) {
        if (javaRelease < FIRST_RELEASE || !Setting.AOT.flag(true)) {
            return false;
        }
        for (String o : options) {
            if (o.startsWith("-XX:AOT") || o.startsWith("-Xshare") || o.startsWith("-XX:SharedArchiveFile")
                    || o.startsWith("-XX:ArchiveClassesAtExit") || o.startsWith("-XX:+AutoCreateSharedArchive")) {
                return false;
            }
        }
        return true;
    }

    /** @return the cache file of a build */
    static Path cacheFile(Path dir, String key) {
        return dir.resolve(key + ".aot");
    }

    /**
     * The plan of a child of a build: map its cache when it has one; else record the
     * configuration if {@code mayRecord} and no other JVM is recording it; else null (the
     * caller falls back to the dynamic archive).
     *
     * @param dir the cache directory (0700, this user's)
     * @param key the build's key
     * @param classPath the children's class path, made of jars
     * @param options the children's extra options
     * @param mayRecord whether this child may be the one that records
     * @return the plan, or null
     * @throws IOException if the directory cannot be read or written
     */
    static ClassDataSharing.Plan plan(Path dir, String key, String classPath, List<String> options,
                                      boolean mayRecord) throws IOException {
        Path cache = cacheFile(dir, key);
        if (Files.isRegularFile(cache)) {
            ClassDataSharing.touchOnce(cache);
            List<String> use = new ArrayList<>();
            use.add("-XX:AOTCache=" + cache);
            use.addAll(QUIET);
            return new ClassDataSharing.Plan(use, null, null, null);
        }
        if (!mayRecord) {
            return null;
        }
        Path lock = dir.resolve(key + ".aot.lock");
        if (!lock(lock, System.currentTimeMillis())) {
            return null;
        }
        Path conf = dir.resolve(key + ".aotconf");
        Path temp = dir.resolve(key + ".aot.tmp");
        Files.deleteIfExists(conf);
        List<String> record = new ArrayList<>();
        record.add("-XX:AOTMode=record");
        record.add("-XX:AOTConfiguration=" + conf);
        // The recording JVM prints a line when it writes its configuration, whatever -Xlog says.
        record.add("-XX:+UnlockDiagnosticVMOptions");
        record.add("-XX:-DisplayVMOutput");
        record.add("-D" + Setting.AOT_RECORDING.key() + "=true");
        record.addAll(QUIET);
        List<String> create = createCommand(conf, temp, classPath, options);
        return new ClassDataSharing.Plan(record, null, process -> {
            ChildReaper.allowSlowExit(process);
            watch(process, conf, temp, cache, lock, create);
        }, () -> {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException ignored) {
                // Stale after LOCK_STALE_MILLIS: another JVM records then.
            }
        });
    }

    /**
     * Takes the lock of a build's recording, made atomically. The lock holds the pid of the
     * shell that assembles the cache; a lock whose shell is gone (killed with its terminal's
     * process group, say), an empty one older than a minute (a JVM that died between making it
     * and starting the shell) and any older than {@link #LOCK_STALE_MILLIS} are replaced.
     *
     * @param lock the lock file
     * @param now the time, in milliseconds since the epoch
     * @return whether this JVM holds it now
     * @throws IOException if it cannot be made for another reason
     */
    static boolean lock(Path lock, long now) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(lock);
                return true;
            } catch (FileAlreadyExistsException e) {
                try {
                    if (held(lock, now)) {
                        return false;
                    }
                    Files.deleteIfExists(lock);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // Released meanwhile: try again.
                }
            }
        }
        return false;
    }

    private static boolean held(Path lock, long now) throws IOException {
        long age = now - Files.getLastModifiedTime(lock).toMillis();
        if (age >= LOCK_STALE_MILLIS) {
            return false;
        }
        String content = Files.readString(lock).trim();
        if (content.isEmpty()) {
            return age < 60_000;
        }
        try {
            return ProcessHandle.of(Long.parseLong(content)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The command that assembles the cache: this JVM's {@code java} with the children's base
     * and extra options, the configuration and the class path of the training run.
     */
    static List<String> createCommand(Path conf, Path temp, String classPath, List<String> options) {
        List<String> cmd = Launcher.javaAndBaseOptions(true, options);
        cmd.addAll(options);
        cmd.add("-XX:AOTMode=create");
        cmd.add("-XX:AOTConfiguration=" + conf);
        cmd.add("-XX:AOTCache=" + temp);
        cmd.addAll(QUIET);
        cmd.add("-cp");
        cmd.add(classPath);
        return cmd;
    }

    /**
     * Starts the detached shell that waits for the recording child and assembles the cache;
     * if it cannot start, the lock is let go and the child's configuration is left to the
     * hourly pruning.
     */
    private static void watch(ChildProcess child, Path conf, Path temp, Path cache, Path lock, List<String> create) {
        Process shell;
        try {
            shell = startWatcher(child.pid(), conf, temp, cache, lock, create);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException ignored) {
                // Stale a minute from now, being empty.
            }
            return;
        }
        try {
            // Never made again here: a shell that has already finished removed it.
            Files.writeString(lock, Long.toString(shell.pid()), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException ignored) {
            // Gone already, or left empty: stale a minute from now.
        }
    }

    /**
     * Starts the shell that waits for {@code pid} to end, then runs {@code create} if
     * {@code conf} is not empty, moves {@code temp} to {@code cache} if {@code create}
     * succeeded and wrote it, and removes {@code conf}, {@code temp} and {@code lock}. Its
     * standard streams are discarded.
     *
     * @return the shell
     * @throws IOException if it cannot be started
     */
    static Process startWatcher(long pid, Path conf, Path temp, Path cache, Path lock, List<String> create)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WATCHER, "pprocess-aot",
                Long.toString(pid), conf.toString(), temp.toString(), cache.toString(), lock.toString(),
                Long.toString(WATCH_LIMIT_SECONDS * 2)));
        cmd.addAll(create);
        return new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
