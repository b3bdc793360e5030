package io.pprocess.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the built .deb with apt-get, runs both commands through the installed launchers in
 * /usr/bin, and purges it again, checking that nothing of it is left. Changes the system, so
 * it runs only as root on a Debian-like system (apt-get and dpkg present) where no pprocess
 * package is installed yet; otherwise it is skipped. The package is purged after the tests
 * even when one fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageInstallIT {

    private static final Duration APT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private static final List<String> INSTALLED_PATHS = List.of(
            "/usr/bin/pprocess-indexer", "/usr/bin/pprocess-example", "/usr/bin/pprocess-node", "/usr/share/pprocess",
            "/usr/share/man/man1/pprocess-indexer.1.gz", "/usr/share/man/man1/pprocess-example.1.gz",
            "/usr/share/man/man1/pprocess-node.1.gz",
            "/usr/share/doc/pprocess", "/usr/share/lintian/overrides/pprocess");

    @TempDir
    static Path work;

    private static boolean installed;

    private static Command apt(String... arguments) {
        List<String> command = new ArrayList<>(List.of("apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=120"));
        command.addAll(List.of(arguments));
        return Command.of(command.toArray(String[]::new))
                .env("DEBIAN_FRONTEND", "noninteractive")
                .timeout(APT_TIMEOUT);
    }

    private static boolean packageInstalled() throws Exception {
        Command.Result status = Command.of("dpkg-query", "--show", "--showformat=${db:Status-Status}",
                BuiltPackage.NAME).run();
        return status.exitStatus() == 0 && !status.out().isBlank() && !status.out().strip().equals("not-installed");
    }

    @BeforeAll
    static void install() throws Exception {
        Command.Result id = Command.of("id", "-u").run();
        assumeTrue(id.out().strip().equals("0"), "installing a package needs root");
        assumeTrue(Command.onPath("apt-get") && Command.onPath("dpkg") && Command.onPath("dpkg-query"),
                "apt-get and dpkg are needed");
        assumeFalse(packageInstalled(),
                "a pprocess package is installed already; this test would replace and then purge it");

        Command.Result result = apt("install", BuiltPackage.deb().toString()).run();
        installed = true;
        assertThat(result.exitStatus()).as("%s", result.describe()).isZero();
        assertThat(packageInstalled()).isTrue();
    }

    @AfterAll
    static void purgeIfLeft() throws Exception {
        if (installed && packageInstalled()) {
            apt("purge", BuiltPackage.NAME).run();
        }
    }

    /**
     * The commands run with their class-data-sharing cache in the test's directory, not in root's
     * home, and with the launchers' archives for their own JVMs on, as a user runs them.
     */
    private static Command installedCommand(String... arguments) {
        return Command.of(arguments).env("XDG_CACHE_HOME", work.resolve("cache").toString())
                .env("PPROCESS_PARENT_CDS", "on").in(work).unset("JAVA_HOME").timeout(RUN_TIMEOUT);
    }

    /** The launchers' archives for their programs' JVMs, by file name. */
    private static List<String> parentArchives() throws IOException {
        Path dir = work.resolve("cache").resolve("pprocess").resolve("parent-cds");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(1)
    void dpkgListsEveryFileOfThePackage() throws Exception {
        Command.Result listing = Command.of("dpkg", "--listfiles", BuiltPackage.NAME).run();
        assertThat(listing.exitStatus()).as("%s", listing.describe()).isZero();
        for (String path : INSTALLED_PATHS) {
            if (!DpkgPathFilter.system().excludes(path)) {
                assertThat(listing.out().lines()).as("dpkg -L pprocess").contains(path);
            }
        }
        assertThat(Files.isExecutable(Path.of("/usr/bin/pprocess-indexer"))).isTrue();
        assertThat(Files.isExecutable(Path.of("/usr/bin/pprocess-example"))).isTrue();
        assertThat(Files.isExecutable(Path.of("/usr/bin/pprocess-node"))).isTrue();
    }

    @Test
    @Order(3)
    void nodeShowsItsOptions() throws Exception {
        Command.Result help = installedCommand("pprocess-node", "--help").run();
        assertThat(help.exitStatus()).as("%s", help.describe()).isZero();
        assertThat(help.out()).as("%s", help.describe()).contains("--cluster", "--secret-file", "--members", "--bind");
        Command.Result usage = installedCommand("pprocess-node", "--cluster", "c").run();
        assertThat(usage.exitStatus()).as("%s", usage.describe()).isEqualTo(2);
        assertThat(usage.err()).as("%s", usage.describe()).startsWith("pprocess-node: --secret-file FILE is required");
    }

    @Test
    @Order(2)
    void indexerIndexesADirectoryAndAnswersAQuery() throws Exception {
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        Files.writeString(corpus.resolve("a.txt"), "The quick zebra\njumps over the lazy dog\nzebra again\n");
        Files.writeString(corpus.resolve("b.txt"), "Zebras are striped.\n");
        Files.writeString(Files.createDirectories(corpus.resolve("notes")).resolve("c.txt"),
                "Cattle:\nthe zebu has a hump\n");

        Command.Result index = installedCommand("pprocess-indexer", "--no-prompt", corpus.toString()).run();
        assertThat(index.exitStatus()).as("%s", index.describe()).isZero();
        assertThat(index.out()).as("%s", index.describe()).isEmpty();
        assertThat(index.err()).as("%s", index.describe())
                .containsPattern("(?m)^indexed 2 files, \\d+ words, [0-9.]+ k?B in [0-9.]+ s .*, 0 skipped, 0 failed$");

        Command.Result query = installedCommand("pprocess-indexer", "--recursive", "--query", "zeb",
                corpus.toString()).run();
        assertThat(query.exitStatus()).as("%s", query.describe()).isZero();
        assertThat(query.out()).as("%s", query.describe()).isEqualTo("""
                zebra
                  a.txt: 1 3
                zebras
                  b.txt: 1
                zebu
                  notes/c.txt: 2
                3 words on 4 lines in 3 files
                """);
        assertThat(query.err()).as("%s", query.describe()).contains("indexed 3 files");
        assertThat(parentArchives()).as("recorded by the first run, mapped by the second")
                .filteredOn(name -> name.startsWith("pprocess-indexer-")).singleElement().asString()
                .matches("pprocess-indexer-[0-9a-f]{32}\\.jsa");
    }

    @Test
    @Order(3)
    void exampleComputesTheGridWithChildProcesses() throws Exception {
        Command.Result run = installedCommand("pprocess-example", "simple_pmap", "--n", "3", "--delay", "0.05").run();
        assertThat(run.exitStatus()).as("%s", run.describe()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).as("%s", run.describe()).hasSize(4);
        int n = 3;
        for (int i = 0; i < n; i++) {
            List<String> row = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                row.add(Integer.toString(i * n + j));
            }
            assertThat(lines.get(i)).as("row %d; %s", i, run.describe()).isEqualTo(String.join(" ", row));
        }
        assertThat(lines.get(n)).matches("Time taken: [0-9.]+ s");
        assertThat(parentArchives()).anyMatch(name -> name.matches("simple_pmap-[0-9a-f]{32}\\.jsa"));

        Command.Result listing = installedCommand("pprocess-example", "--list").run();
        assertThat(listing.exitStatus()).as("%s", listing.describe()).isZero();
        assertThat(listing.out()).contains("simple_pmap", "raytrace_pmap");
    }

    @Test
    @Order(4)
    void launchersNameAnUnsuitableJavaHome() throws Exception {
        Path home = Files.createDirectories(work.resolve("old-jdk/bin")).getParent();
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"fake java run with: $*\" >&2\nexit 97\n");
        assertThat(java.toFile().setExecutable(true, false)).isTrue();
        for (String launcher : List.of("pprocess-indexer", "pprocess-example", "pprocess-node")) {
            Command.Result result = installedCommand(launcher, "--help").env("JAVA_HOME", home.toString()).run();
            assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
            assertThat(result.err()).as("%s", result.describe())
                    .startsWith(launcher + ": " + java + " is Java 11, but pprocess needs Java 17 or later");
        }
    }

    @Test
    @Order(5)
    void manFindsTheManPages() throws Exception {
        for (String page : List.of("pprocess-indexer", "pprocess-example", "pprocess-node")) {
            String file = "/usr/share/man/man1/" + page + ".1.gz";
            assumeFalse(DpkgPathFilter.system().excludes(file), "dpkg is configured not to install " + file);
            if (Command.onPath("man")) {
                Command.Result where = Command.of("man", "-w", page).run();
                assertThat(where.exitStatus()).as("%s", where.describe()).isZero();
                assertThat(where.out().strip()).isEqualTo(file);
            } else {
                assertThat(Path.of(file)).isRegularFile();
            }
        }
    }

    @Test
    @Order(6)
    void commandsWroteNothingUnderUsr() throws Exception {
        Set<String> owned = new TreeSet<>(Command.of("dpkg", "--listfiles", BuiltPackage.NAME).run().out().lines().toList());
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("/usr/share/pprocess"))) {
            files.forEach(p -> present.add(p.toString()));
        }
        assertThat(owned).containsAll(present);
    }

    @Test
    @Order(100)
    void purgeLeavesNothingBehind() throws Exception {
        Command.Result purge = apt("purge", BuiltPackage.NAME).run();
        assertThat(purge.exitStatus()).as("%s", purge.describe()).isZero();
        Command.Result listing = Command.of("dpkg", "--listfiles", BuiltPackage.NAME).run();
        assertThat(listing.exitStatus()).as("dpkg -L after purge: %s", listing.describe()).isNotZero();
        assertThat(packageInstalled()).isFalse();
        for (String path : INSTALLED_PATHS) {
            assertThat(Files.exists(Path.of(path))).as("%s after purge", path).isFalse();
        }
        try (Stream<Path> bin = Files.list(Path.of("/usr/bin"))) {
            assertThat(bin.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pprocess-"));
        }
    }

    /**
     * dpkg's path filters ({@code path-exclude}/{@code path-include} in /etc/dpkg/dpkg.cfg and
     * /etc/dpkg/dpkg.cfg.d), which minimal images use to leave out man pages and documentation.
     * The last matching directive decides; a pattern's {@code *} matches any characters.
     */
    private record DpkgPathFilter(List<String[]> directives) {

        static DpkgPathFilter system() throws IOException {
            List<Path> configs = new ArrayList<>();
            configs.add(Path.of("/etc/dpkg/dpkg.cfg"));
            Path dir = Path.of("/etc/dpkg/dpkg.cfg.d");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.sorted().forEach(configs::add);
                }
            }
            List<String[]> directives = new ArrayList<>();
            for (Path config : configs) {
                if (!Files.isRegularFile(config)) {
                    continue;
                }
                for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("[=\\s]+", 2);
                    if (parts.length == 2 && (parts[0].equals("path-exclude") || parts[0].equals("path-include"))) {
                        directives.add(parts);
                    }
                }
            }
            return new DpkgPathFilter(directives);
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (String[] d : directives) {
                if (FileSystems.getDefault().getPathMatcher("glob:" + d[1].replace("*", "**")).matches(Path.of(path))) {
                    excluded = d[0].equals("path-exclude");
                }
            }
            return excluded;
        }
    }
}
