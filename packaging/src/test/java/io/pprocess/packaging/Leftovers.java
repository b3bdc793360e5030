package io.pprocess.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the test suite could leave on the system: entries of /tmp and user accounts, and the
 * state recorded when the build started ({@code target/system-before.txt} of the root
 * project, written in its validate phase).
 */
final class Leftovers {
    static final Path TMP = Path.of("/tmp");

    /** The names of /tmp's entries that the suite's tools would make, by prefix or name. */
    static final List<String> SUITE_PATTERNS = List.of("hsperfdata_pprocess", "jmh.lock", "mldbm-", "lintian-");

    private Leftovers() {
    }

    /** @return the names of the entries of /tmp now */
    static Set<String> tmpEntries() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> entries = Files.list(TMP)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    /**
     * Returns the entries of /tmp that are there now and were not in {@code before}, among
     * those whose names start with one of {@code prefixes}.
     */
    static Set<String> newEntries(Set<String> before, String... prefixes) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String name : tmpEntries()) {
            if (!before.contains(name)) {
                for (String prefix : prefixes) {
                    if (name.startsWith(prefix)) {
                        found.add(name);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Tells whether another Maven build runs on this machine besides the one running this test:
     * its files in /tmp could not be told from this build's.
     *
     * @return whether a Maven JVM other than this test's ancestors is running
     */
    static boolean otherBuildsRunning() {
        Set<Long> ancestors = new TreeSet<>();
        for (java.util.Optional<ProcessHandle> p = java.util.Optional.of(ProcessHandle.current()); p.isPresent();
                p = p.get().parent()) {
            ancestors.add(p.get().pid());
        }
        return ProcessHandle.allProcesses()
                .filter(p -> !ancestors.contains(p.pid()))
                .map(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse(""))
                .anyMatch(args -> args.contains("org.codehaus.plexus.classworlds.launcher.Launcher"));
    }

    /** @return the user names of /etc/passwd now */
    static Set<String> users() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    /**
     * The state when the build started.
     *
     * @param users the user names then
     * @param tmp the entries of /tmp then
     */
    record Snapshot(Set<String> users, Set<String> tmp) {

        /** @return the snapshot of the build start, or {@code null} if none was recorded */
        static Snapshot atBuildStart() throws IOException {
            Path file = Path.of("..", "target", "system-before.txt");
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Set<String> users = new TreeSet<>();
            Set<String> tmp = new TreeSet<>();
            Set<String> into = null;
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            for (String line : lines) {
                if (line.equals("# users")) {
                    into = users;
                } else if (line.equals("# tmp")) {
                    into = tmp;
                } else if (into != null && !line.isBlank()) {
                    into.add(line.strip());
                }
            }
            return new Snapshot(users, tmp);
        }
    }
}
