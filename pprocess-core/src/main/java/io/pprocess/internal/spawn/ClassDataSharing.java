package io.pprocess.internal.spawn;

import io.pprocess.internal.LibraryThreads;
import io.pprocess.internal.Setting;
import io.pprocess.internal.channel.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A dynamic class-data-sharing archive of the child's classes, so a child JVM maps Kryo and
 * pprocess's own classes instead of loading them: a child starts in about half the time.
 *
 * <p>The first child of a class path records the archive at its exit
 * ({@code -XX:ArchiveClassesAtExit}); later children use it ({@code -XX:SharedArchiveFile}).
 * Archives live in {@code $XDG_CACHE_HOME/pprocess/cds} (or {@code ~/.cache/pprocess/cds}), a
 * directory of this user's with mode 0700, named by a digest of the JVM, the class path (with
 * each jar's size and time) and the options, so a rebuilt jar gets a new archive. The JVM can
 * archive only class paths made of jars; with a directory on the class path (as in a build's
 * test run) nothing is done. {@code -Dpprocess.cds=false} turns it off.
 *
 * <p>On Java 25 and later a child gets its build's ahead-of-time cache instead
 * ({@link AheadOfTimeCache}, {@code <key>.aot} in the same directory) once one has been made,
 * and the dynamic archive meanwhile; {@code -Dpprocess.aot=false} keeps the dynamic archive.
 */
final class ClassDataSharing {
    private static final AtomicBoolean DUMPING = new AtomicBoolean();
    private static final AtomicBoolean CLEANED = new AtomicBoolean();
    private static final Set<Path> TOUCHED = ConcurrentHashMap.newKeySet();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ClassDataSharing() {
    }

    /** What to add to a child's command, and what to do when that child starts and ends. */
    static final class Plan {
        final List<String> options;
        final Runnable afterExit;
        private final Consumer<ChildProcess> onStart;
        private final Runnable onAbandon;

        /**
         * @param options the options to add
         * @param afterExit run when the child has ended, or null
         * @param onStart run with the child once it has started, or null
         * @param onAbandon run if the child could not be started, or null
         */
        Plan(List<String> options, Runnable afterExit, Consumer<ChildProcess> onStart, Runnable onAbandon) {
            this.options = options;
            this.afterExit = afterExit;
            this.onStart = onStart;
            this.onAbandon = onAbandon;
        }

        /** @return whether the child records an archive or a cache (rather than only mapping one) */
        boolean records() {
            return afterExit != null || onStart != null;
        }

        /** Called when the child could not be started: a recording that will not happen. */
        void abandon() {
            if (onAbandon != null) {
                onAbandon.run();
            }
        }

        /**
         * Notes the child started with this plan: for the one recording a dynamic archive, a
         * JVM that exits while that child is ending waits for it (at most
         * {@link #DUMP_EXIT_WAIT_MILLIS}) so that the archive is published rather than left
         * behind under its temporary name; for the one recording an ahead-of-time
         * configuration, the shell that assembles the cache starts.
         *
         * @param process the child started with this plan
         */
        void started(ChildProcess process) {
            if (onStart != null) {
                onStart.accept(process);
            }
        }
    }

    /** Registers the wait at this JVM's exit for a child recording a dynamic archive. */
    private static void publishAtShutdown(ChildProcess process, Runnable publish) {
        LibraryThreads.onShutdown(() -> {
            try {
                if (process.waitFor(DUMP_EXIT_WAIT_MILLIS).isPresent()) {
                    publish.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pprocess-cds-publish");
    }

    /** How long an exiting JVM waits for the child recording the archive to end. */
    static final long DUMP_EXIT_WAIT_MILLIS = 3_000;

    /** The most archives kept; the least recently used go first. */
    static final int MAX_ARCHIVES = 8;

    private static final Plan NONE = new Plan(List.of(), null, null, null);

    /** Keeps the JVM's own messages about an archive (a stale or refused one among them) quiet. */
    static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:class+path=off");

    private static List<String> withQuiet(String option) {
        List<String> options = new ArrayList<>();
        options.add(option);
        options.addAll(QUIET);
        return List.copyOf(options);
    }

    /**
     * The archive options of a child that may record: see {@link #plan(String, List, boolean, boolean)}.
     *
     * @param classPath the child's class path, or null on a module path
     * @param options the child's extra options
     * @return the plan
     */
    static Plan plan(String classPath, List<String> options) {
        return plan(classPath, options, true, true);
    }

    /**
     * The archive options of a child: on Java 25 and later its build's ahead-of-time cache
     * ({@link AheadOfTimeCache}) when it has one, else the build's dynamic archive when it has
     * one, else a recording of one of them when this child may record it.
     *
     * @param classPath the child's class path, or null on a module path
     * @param options the child's extra options
     * @param recordArchive whether the child may record the dynamic archive (published by this
     *     JVM when the child ends, so never for a child that may outlive it)
     * @param recordCache whether the child may record the ahead-of-time configuration (assembled
     *     by a shell of its own, whenever the child ends)
     * @return the plan
     */
    static Plan plan(String classPath, List<String> options, boolean recordArchive, boolean recordCache) {
        if (!Setting.CDS.flag(true) || classPath == null
                || classPath.isEmpty()) {
            return NONE;
        }
        try {
            String key = key(classPath, options);
            if (key == null) {
                return NONE;
            }
            Path dir = directory();
            if (dir == null) {
                return NONE;
            }
            removeAbandonedRecordings(dir);
            if (AheadOfTimeCache.applies(Runtime.version().feature(), options)) {
                Plan cache = AheadOfTimeCache.plan(dir, key, classPath, options, recordCache);
                if (cache != null) {
                    return cache;
                }
            }
            Path archive = dir.resolve(key + ".jsa");
            if (Files.isRegularFile(archive)) {
                touchOnce(archive);
                return new Plan(withQuiet("-XX:SharedArchiveFile=" + archive), null, null, null);
            }
            if (!recordArchive || !DUMPING.compareAndSet(false, true)) {
                return NONE;
            }
            Path temp = dir.resolve(key + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            Runnable publish = () -> publish(temp, archive);
            return new Plan(withQuiet("-XX:ArchiveClassesAtExit=" + temp), publish,
                    process -> publishAtShutdown(process, publish), publish);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /**
     * Marks an archive or cache as used, once per JVM, for {@link #prune}'s order.
     *
     * @param file the archive or cache
     * @throws IOException if its time cannot be set
     */
    static void touchOnce(Path file) throws IOException {
        if (TOUCHED.add(file)) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        }
    }

    /**
     * The plan of a kept worker, which outlives this JVM: it maps what its build has recorded
     * and never records the dynamic archive (that would be published only when it exits); on
     * Java 25 and later it may record the ahead-of-time configuration, which does not need
     * this JVM.
     *
     * @param classPath the child's class path
     * @param options the child's extra options
     * @return the plan
     */
    static Plan forKeptWorker(String classPath, List<String> options) {
        return plan(classPath, options, false, true);
    }

    /**
     * Once per JVM: deletes recordings left by children that never exited normally (killed, or
     * outliving the JVM that would have published them) once they are an hour old (ahead-of-time
     * configurations too, and a cache's lock once it is stale), and all but the
     * {@link #MAX_ARCHIVES} most recently used archives and caches (each build of a class path
     * has its own; one deleted is recorded again when needed).
     */
    private static void removeAbandonedRecordings(Path dir) {
        if (CLEANED.compareAndSet(false, true)) {
            prune(dir, System.currentTimeMillis());
        }
    }

    /**
     * The work of {@link #removeAbandonedRecordings}, every time it is called.
     *
     * @param dir the cache directory
     * @param now the current time, in milliseconds since the epoch
     */
    static void prune(Path dir, long now) {
        long cutoff = now - 3_600_000L;
        Map<Path, Long> archives = new HashMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                try {
                    long modified = Files.getLastModifiedTime(p).toMillis();
                    if ((name.endsWith(".tmp") || name.endsWith(".aotconf")) && modified < cutoff
                            || name.endsWith(".aot.lock") && modified < now - AheadOfTimeCache.LOCK_STALE_MILLIS) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(".jsa") || name.endsWith(".aot")) {
                        archives.put(p, modified);
                    }
                } catch (IOException ignored) {
                    // Another JVM removed or published it.
                }
            });
        } catch (IOException ignored) {
            // Nothing to clean if the directory cannot be listed.
        }
        List<Path> newestFirst = new ArrayList<>(archives.keySet());
        newestFirst.sort(Comparator.comparing((Path p) -> archives.get(p)).reversed());
        for (Path stale : newestFirst.subList(Math.min(MAX_ARCHIVES, newestFirst.size()), newestFirst.size())) {
            try {
                Files.deleteIfExists(stale);
            } catch (IOException ignored) {
                // Left for the next JVM to try.
            }
        }
    }

    private static void publish(Path temp, Path archive) {
        try {
            if (Files.isRegularFile(temp) && Files.size(temp) > 0) {
                try {
                    Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException ignored) {
            // Another JVM published it first, or the cache is read-only: children start without it.
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Left for the next run to overwrite; it is never read.
            }
            DUMPING.set(false);
        }
    }

    /** @return the digest naming the archive, or null if the class path cannot be archived */
    private static String key(String classPath, List<String> options) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        parts.add(System.getProperty("java.home"));
        parts.add(System.getProperty("java.vm.version"));
        parts.addAll(options);
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                return null;
            }
            parts.add(p.toAbsolutePath() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis());
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** @return the cache directory, created 0700, or null if it is missing, foreign or open to others */
    private static Path directory() throws IOException {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = base.resolve("pprocess").resolve("cds");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Made by a concurrent JVM: checked below like any other.
            }
        }
        String me = System.getProperty("user.name");
        if (!Files.getOwner(dir).getName().equals(me)
                || !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
            return null;
        }
        return dir;
    }
}
