package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/pprocess-indexer} as a real process, as a user would. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IndexerIT {
    private static final Path SCRIPT = Path.of(System.getProperty("indexer.script", "../bin/pprocess-indexer"))
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    private Path corpus;

    /** What a finished process wrote. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void writeCorpus() throws IOException {
        corpus = TestCorpus.write(Files.createDirectory(tmp.resolve("corpus")));
    }

    /** Ends whatever a test left running (after a timeout): the process and its descendants. */
    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Run run(String input, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().putAll(env);
        Process p = start(pb);
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pprocess-indexer did not end: " + command);
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private Run run(String... args) throws Exception {
        return run("", Map.of(), args);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * The launcher gives the parent JVM a class-data-sharing archive: the first run records one
     * when it ends well, the next run with the same options maps its classes from it; a usage
     * error, a help run, a run that only ends kept workers and PPROCESS_PARENT_CDS=off record none.
     */
    @Test
    void theFirstRunRecordsAnArchiveForTheParentThatTheNextRunMaps() throws Exception {
        Path log = tmp.resolve("classes.log");
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "PPROCESS_PARENT_CDS", "on",
                "PPROCESS_INDEXER_JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:class+load=info:file=" + log);
        Path archives = cache.resolve("pprocess").resolve("parent-cds");

        assertThat(run("", env, "--no-keep-workers", "--window", "0", corpus.toString()).status()).isEqualTo(2);
        assertThat(run("", env, "--help").out()).startsWith("Usage: pprocess-indexer");
        assertThat(run("", Map.of("XDG_CACHE_HOME", cache.toString(), "PPROCESS_PARENT_CDS", "off"),
                "--no-keep-workers", corpus.toString(), "-q", "alp").out()).isEqualTo(TestCorpus.ALP);
        Map<String, String> stopping = new java.util.HashMap<>(env);
        stopping.put("PPROCESS_KEPT_WORKERS_DIR", Files.createDirectory(tmp.resolve("kw")).toString());
        assertThat(run("", stopping, "--stop-workers").status()).isZero();
        assertThat(listing(archives)).as("no archive from a usage error, a help run, --stop-workers or with the archive off")
                .isEmpty();

        Run first = run("", env, "--no-keep-workers", corpus.toString(), "-q", "alp");
        assertThat(first.status()).isZero();
        assertThat(first.out()).isEqualTo(TestCorpus.ALP);
        assertThat(Files.readString(log)).doesNotContain("source: shared objects file (top)");
        List<String> recorded = listing(archives);
        assertThat(recorded).singleElement().asString().matches("pprocess-indexer-[0-9a-f]{32}\\.jsa");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archives))).isEqualTo("rwx------");

        Run second = run("", env, "--no-keep-workers", corpus.toString(), "-q", "alp");
        assertThat(second.status()).isZero();
        assertThat(second.out()).isEqualTo(TestCorpus.ALP);
        assertThat(second.err()).as("nothing said about the archive").doesNotContainIgnoringCase("shar").doesNotContain("CDS");
        assertThat(Files.readString(log)).as("the second run's class loading")
                .contains("io.pprocess.indexer.IndexerCommand source: shared objects file (top)");
        assertThat(listing(archives)).isEqualTo(recorded);
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void answersQueriesFromAnyWorkingDirectory() throws Exception {
        Run r = run(corpus.toString(), "--query", "alp", "--window", "2", "--slice", "1");
        assertThat(r.err()).endsWith(", 1 skipped, 0 failed\n");
        assertThat(r.out()).isEqualTo(TestCorpus.ALP);
        assertThat(r.status()).isZero();
    }

    @Test
    void answersPipedQueriesUntilEndOfInputWithNothingButTheSummaryOnStandardError() throws Exception {
        Run r = run("alp\ncafé\n\nzeta\n", Map.of(), corpus.toString(), "2", "3");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(TestCorpus.ALP
                + "cafe\n  a.txt: 4\n1 word on 1 line in 1 file\n"
                + "zeta\n  latin1.txt: 3\n1 word on 1 line in 1 file\n");
        assertThat(r.err().lines()).containsExactly(
                "pprocess-indexer: skipped 1 file: 1 binary (--verbose lists them)",
                "pprocess-indexer: 1 subdirectory was not indexed (--recursive indexes them)",
                r.err().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(r.err().lines().reduce((a, b) -> b).orElseThrow()).startsWith("indexed 4 files, 15 words, ");
    }

    @Test
    void acceptsTheOriginalArgumentForm() throws Exception {
        Run r = run(corpus.toString(), "2", "3", "0", "--noprompt");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("indexed 4 files, 15 words, ");
    }

    @Test
    void exitsWithStatus2AndUsageWithoutADirectory() throws Exception {
        Run r = run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("pprocess-indexer: missing required parameter: 'DIR'\n"
                + "Usage: pprocess-indexer [OPTION]... DIR [WINDOW [SLICE [DELAY]]]\n"
                + "Try 'pprocess-indexer --help' for more information.\n");
    }

    @Test
    void exitsWithStatus2ForAMissingDirectory() throws Exception {
        Run r = run(tmp.resolve("missing").toString(), "--noprompt");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pprocess-indexer: error: no such directory: " + tmp.resolve("missing") + "\n");
    }

    /** Writes 0huge.txt, 4.4 MB of random words, more than a child with 16 MB of heap can index. */
    private void writeHugeFile() throws Exception {
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 400_000; i++) {
            for (int k = 0; k < 10; k++) {
                big.append((char) ('a' + random.nextInt(26)));
            }
            big.append('\n');
        }
        TestCorpus.text(corpus.resolve("0huge.txt"), big.toString());
    }

    @Test
    void losesOnlyTheSliceOfAChildThatDies() throws Exception {
        writeHugeFile();
        // Slices: 0huge.txt a.txt b.txt binary.bin | latin1.txt page.html. With 16 MB of heap
        // the first child runs out of memory on its first file and exits before sending anything.
        Run r = run("", Map.of("PPROCESS_JVM_OPTIONS", "-Xmx16m -XX:+DisplayVMOutputToStderr"), corpus.toString(), "--slice", "4", "-q", "alp");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("alpha\n  latin1.txt: 2\n  page.html: 4\n1 word on 2 lines in 2 files\n");
        assertThat(r.err()).containsPattern(
                "pprocess-indexer: warning: slice 0 failed \\(child process \\d+ exited with status 3[^\\n]*\\); not indexed:\n"
                        + "  0huge.txt\n  a.txt\n  b.txt\n  binary.bin\n")
                .contains("indexed 2 files, ")
                .endsWith(", 0 skipped, 4 failed\n");
    }

    @Test
    void withoutASliceSizeADeadChildLosesOnlyThePieceItWasReading() throws Exception {
        writeHugeFile();
        // The 4.4 MB file is a piece of its own; with 16 MB of heap its child runs out of memory
        // on it. The other files go to another child (the piece the dead one had asked for is
        // handed out again).
        for (String keep : new String[] {"--no-keep-workers", "--keep-workers=10s"}) {
            Run r = run("", Map.of("PPROCESS_JVM_OPTIONS", "-Xmx16m -XX:+DisplayVMOutputToStderr",
                    "PPROCESS_KEPT_WORKERS_DIR", tmp.resolve("kw").toString()), keep, corpus.toString(), "-q", "alp");
            assertThat(r.status()).as(keep).isEqualTo(1);
            assertThat(r.out()).as(keep).isEqualTo(TestCorpus.ALP);
            // A kept worker is not this program's child: its status is unknown, its end is not.
            String death = keep.equals("--no-keep-workers") ? "(exited with status 3|ended)" : "ended";
            assertThat(r.err()).as(keep).containsPattern(
                    "pprocess-indexer: warning: slice \\d+ failed \\(child process \\d+ " + death + "[^\\n]*\\); "
                            + "not indexed:\n  0huge.txt\n")
                    .contains("indexed 4 files, ")
                    .contains(", 1 skipped, 1 failed\n");
        }
        run("", Map.of("PPROCESS_JVM_OPTIONS", "-Xmx16m -XX:+DisplayVMOutputToStderr",
                "PPROCESS_KEPT_WORKERS_DIR", tmp.resolve("kw").toString()), "--stop-workers");
    }

    /**
     * A checkout built by one user runs for another: {@code package} copies the libraries into
     * target/lib, which the launcher prefers to the builder's Maven repository. Runs as root,
     * as user nobody, when nobody can reach the checkout.
     */
    @Test
    void theLauncherRunsForAnotherUserThanTheBuilder() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "needs runuser");
        Process reach = start(new ProcessBuilder("runuser", "-u", "nobody", "--", "test", "-r",
                SCRIPT.getParent().resolve("../pprocess-indexer/target/classpath.txt").normalize().toString())
                .redirectErrorStream(true));
        assumeTrue(reach.waitFor() == 0, "user nobody cannot read the checkout");
        // No performance data file: it would be left in /tmp as hsperfdata_nobody.
        ProcessBuilder pb = new ProcessBuilder("runuser", "-u", "nobody", "--", "env",
                "PPROCESS_INDEXER_JAVA_OPTS=-XX:-UsePerfData", SCRIPT.toString(), "--version").directory(Path.of("/").toFile());
        Process p = start(pb);
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(out.get(10, TimeUnit.SECONDS)).startsWith("pprocess-indexer ");
        assertThat(p.exitValue()).isZero();
    }

    /** Starts the indexer on a new pseudo-terminal (made by script(1)) of the given height. */
    private Process onTerminal(int rows, Map<String, String> env, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-q", "-e", "-E", "never", "-c",
                "stty cols 120 rows " + rows + "; exec '" + SCRIPT + "' '" + corpus + "' 2>'" + err + "'", "/dev/null");
        pb.environment().putAll(env);
        return start(pb);
    }

    private static void type(OutputStream in, String keys) throws IOException {
        in.write(keys.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void ctrlCCancelsTheLineAtThePromptAndCtrlDEndsTheSession() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) to make a terminal");
        Path err = tmp.resolve("err.txt");
        Process p = onTerminal(40, Map.of(), err);
        Screen screen = new Screen(p.getInputStream());
        OutputStream in = p.getOutputStream();
        screen.await("Pattern: ");
        type(in, "alp\r");
        screen.await("2 words on 5 lines in 4 files");
        screen.await("Pattern: ");
        type(in, "gam");
        screen.await("gam");
        type(in, "\u0003");
        screen.await("Pattern: ");
        type(in, "beta\r");
        screen.await("1 word on 2 lines in 1 file");
        screen.await("Pattern: ");
        assertThat(p.isAlive()).as("still prompting after Ctrl-C").isTrue();
        type(in, "\u0004");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String text = screen.text().replace("\r", "");
        assertThat(text).contains(TestCorpus.ALP.replace("alpha\n", "")).contains("beta\n  a.txt: 1 3\n")
                .doesNotContain("gamma\n  a.txt: 2");
        assertThat(Files.readString(err)).doesNotContain("WARNING").contains("indexed 4 files, ");
    }

    @Test
    void pagesAnAnswerTallerThanTheTerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) to make a terminal");
        Path err = tmp.resolve("err.txt");
        Path paged = tmp.resolve("paged.txt");
        Process p = onTerminal(8, Map.of("PAGER", "cat > '" + paged + "'"), err);
        Screen screen = new Screen(p.getInputStream());
        OutputStream in = p.getOutputStream();
        screen.await("Pattern: ");
        type(in, "beta\r");
        screen.await("1 word on 2 lines in 1 file");
        screen.await("Pattern: ");
        assertThat(paged).doesNotExist();
        type(in, "a\r");
        screen.await("Pattern: ");
        type(in, "\u0004");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(paged)).isEqualTo(TestCorpus.ALP);
    }

    /**
     * What a terminal showed: a thread copies it as it comes, and {@link #await} gives up after
     * {@link #AWAIT}, showing the screen so far (control characters made visible).
     */
    private static final class Screen {
        private static final Duration AWAIT = Duration.ofSeconds(30);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean closed;
        private int cursor;

        Screen(InputStream out) {
            Thread copier = new Thread(() -> copy(out), "terminal-screen");
            copier.setDaemon(true);
            copier.start();
        }

        private void copy(InputStream out) {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = out.read(buffer)) >= 0; ) {
                    synchronized (this) {
                        bytes.write(buffer, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // The terminal went away: what it showed stays.
            }
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }

        /** Waits until {@code text} shows after the previous match, and moves past it. */
        synchronized void await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (true) {
                String now = text();
                int at = now.indexOf(text, cursor);
                if (at >= 0) {
                    cursor = at + text.length();
                    return;
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    throw new AssertionError((closed ? "terminal closed" : "no '" + text + "' after " + AWAIT.toSeconds() + " s")
                            + " before showing '" + text + "' after offset " + cursor + "; it showed: " + visible(now));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private static String visible(String text) {
            StringBuilder b = new StringBuilder();
            text.codePoints().forEach(c -> {
                if (c == '\n') {
                    b.append("\\n\n");
                } else if (c < 0x20 || c == 0x7f) {
                    b.append(String.format("<%02x>", c));
                } else {
                    b.appendCodePoint(c);
                }
            });
            return b.toString();
        }
    }
}
