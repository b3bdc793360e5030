package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the command in this JVM with captured streams; its children are real processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndexerCommandTest {
    private static final String SUMMARY_RE =
            "indexed \\d+ files?, \\d+ words?, \\d+(\\.\\d)? k?B in \\d+\\.\\d\\d s \\(\\d+(\\.\\d)? [kM]?B/s\\), "
                    + "\\d+ skipped, \\d+ failed";
    private static final String SUBDIRECTORY = "pprocess-indexer: 1 subdirectory was not indexed (--recursive indexes them)";

    @TempDir
    Path tmp;

    private Path corpus;
    private String out;
    private String err;

    @BeforeEach
    void writeCorpus() throws IOException {
        corpus = TestCorpus.write(Files.createDirectory(tmp.resolve("corpus")));
    }

    private int runWithInput(String input, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = IndexerCommand.execute(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                () -> false, () -> false);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private int run(String... args) {
        return runWithInput("", args);
    }

    private IndexerCommand.Settings settings(String... args) {
        IndexerCommand command = new IndexerCommand(System.in, System.out, System.err, () -> false, () -> false);
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void answersQueriesWithFilesAndLinesInAStableOrder() {
        int status = run(corpus.toString(), "--window", "2", "--slice", "2",
                "--query", "alp", "--query", "ÉPÉE", "-q", "cafe", "-q", "greet", "-q", "hidden", "-q", "zeta");
        assertThat(status).isZero();
        assertThat(out).isEqualTo(TestCorpus.ALP
                + "epee\n  a.txt: 4\n1 word on 1 line in 1 file\n"
                + "cafe\n  a.txt: 4\n1 word on 1 line in 1 file\n"
                + "greeting\n  page.html: 1\n1 word on 1 line in 1 file\n"
                + "0 words on 0 lines in 0 files\n"
                + "zeta\n  latin1.txt: 3\n1 word on 1 line in 1 file\n");
        assertThat(err.lines()).containsExactly(
                "pprocess-indexer: skipped 1 file: 1 binary (--verbose lists them)",
                SUBDIRECTORY,
                err.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(err.lines().reduce((a, b) -> b).orElseThrow())
                .matches(SUMMARY_RE)
                .startsWith("indexed 4 files, ")
                .endsWith(", 1 skipped, 0 failed");
    }

    @Test
    void givesTheSameAnswerWhateverTheWindowAndSlice() {
        run(corpus.toString(), "-q", "", "--recursive");
        String reference = out;
        assertThat(reference).isEqualTo(String.join("\n",
                "alpha", "  a.txt: 1 3", "  b.txt: 2", "  latin1.txt: 2", "  page.html: 4", "  sub/deep.txt: 3",
                "alphabet", "  a.txt: 3",
                "beta", "  a.txt: 1 3",
                "caf", "  latin1.txt: 1",
                "cafe", "  a.txt: 4",
                "deep", "  sub/deep.txt: 3",
                "epee", "  a.txt: 4",
                "gamma", "  a.txt: 2",
                "greeting", "  page.html: 1",
                "here", "  b.txt: 1",
                "naive", "  a.txt: 4",
                "nothing", "  b.txt: 1",
                "ok", "  latin1.txt: 1",
                "omega", "  page.html: 4",
                "page", "  page.html: 1",
                "zeta", "  latin1.txt: 3",
                "16 words on 12 lines in 5 files", ""));
        for (String[] form : new String[][] {{"1", "1"}, {"3", "1"}, {"2", "10"}}) {
            run(corpus.toString(), form[0], form[1], "-q", "", "-r");
            assertThat(out).as("window %s slice %s", form[0], form[1]).isEqualTo(reference);
        }
    }

    @Test
    void acceptsTheOriginalArgumentForm() {
        assertThat(run(corpus.toString(), "2", "3", "0", "--noprompt")).isZero();
        assertThat(out).isEmpty();
        assertThat(err).contains("indexed 4 files, ");
        assertThat(settings("d", "2", "3", "0.5", "--noprompt"))
                .isEqualTo(new IndexerCommand.Settings(2, 3, 500, null));
        assertThat(settings("d", "--noprompt", "2")).isEqualTo(new IndexerCommand.Settings(2, 5, 0, null));
        assertThat(settings("d")).isEqualTo(new IndexerCommand.Settings(4, null, 0, null));
        assertThat(settings("d", "--window=3", "--slice", "7", "--delay", "1.25", "--no-prompt"))
                .isEqualTo(new IndexerCommand.Settings(3, 7, 1250, null));
        assertThat(settings("d", "2", "--window", "2")).isEqualTo(new IndexerCommand.Settings(2, 5, 0, null));
    }

    @Test
    void refusesConflictingOrOutOfRangeSettings() {
        assertThatThrownBy(() -> settings("d", "2", "--window", "3"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("WINDOW is given twice: 2 as an argument and 3 with --window");
        assertThatThrownBy(() -> settings("d", "0")).hasMessage("WINDOW must be at least 1: 0");
        assertThatThrownBy(() -> settings("d", "--slice", "0")).hasMessage("SLICE must be at least 1: 0");
        assertThatThrownBy(() -> settings("d", "--delay", "NaN"))
                .hasMessage("DELAY must be a number of seconds from 0 to 86400: NaN");
        assertThat(run(corpus.toString(), "0")).isEqualTo(2);
        assertThat(err).isEqualTo(usageError("WINDOW must be at least 1: 0"));
        assertThat(run(corpus.toString(), "two")).isEqualTo(2);
        assertThat(err).isEqualTo(usageError("invalid value for positional parameter at index 1 (WINDOW): 'two' is not an int"));
        assertThat(run(corpus.toString(), "--limit", "-1")).isEqualTo(2);
        assertThat(err).isEqualTo(usageError("--limit must be 0 (no limit) or more: -1"));
    }

    @Test
    void answersPipedQueriesLineByLineWithoutAPromptUntilEndOfInput() {
        int status = runWithInput("alp\n\n   \ncafé\nnothing-matches\n", corpus.toString(), "2", "2");
        assertThat(status).isZero();
        assertThat(out).isEqualTo(TestCorpus.ALP
                + "cafe\n  a.txt: 4\n1 word on 1 line in 1 file\n"
                + "0 words on 0 lines in 0 files\n");
        assertThat(err).doesNotContainIgnoringCase("jline").doesNotContain("WARNING").doesNotContain("Pattern");
    }

    @Test
    void requiresADirectory() {
        assertThat(run()).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo(usageError("missing required parameter: 'DIR'"));
    }

    private static String usageError(String problem) {
        return "pprocess-indexer: " + problem + "\n"
                + "Usage: pprocess-indexer [OPTION]... DIR [WINDOW [SLICE [DELAY]]]\n"
                + "Try 'pprocess-indexer --help' for more information.\n";
    }

    @Test
    void printsAUsageErrorWithTheOneLineUsageAndExitsWith2() {
        assertThat(run(corpus.toString(), "--bogus")).isEqualTo(2);
        assertThat(err).isEqualTo(usageError("unknown option: '--bogus'"));
        assertThat(out).isEmpty();
        assertThat(run(corpus.toString(), "--recursiv")).isEqualTo(2);
        assertThat(err).startsWith("pprocess-indexer: unknown option: '--recursiv'\nDid you mean: --recursive?\n")
                .endsWith("Try 'pprocess-indexer --help' for more information.\n");
    }

    @Test
    void reportsAMissingDirectory() {
        Path missing = tmp.resolve("missing");
        assertThat(run(missing.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("pprocess-indexer: error: no such directory: " + missing + "\n");
        assertThat(out).isEmpty();
    }

    @Test
    void reportsAFileGivenForADirectory() {
        Path file = corpus.resolve("a.txt");
        assertThat(run(file.toString(), "--no-prompt")).isEqualTo(2);
        assertThat(err).isEqualTo("pprocess-indexer: error: not a directory: " + file + "\n");
    }

    @Test
    void reportsAnEmptyDirectoryAndSucceeds() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.createDirectory(empty.resolve("subdir"));
        assertThat(run(empty.toString())).isZero();
        assertThat(err).isEqualTo("pprocess-indexer: no files to index in " + empty
                + "; 1 subdirectory was not indexed (--recursive indexes them)\n");
        assertThat(out).isEmpty();
    }

    @Test
    void printsHelpAndVersionOnStandardOutput() {
        assertThat(run("--help")).isZero();
        assertThat(out).startsWith("Usage: pprocess-indexer").contains("--noprompt", "--recursive", "--query",
                "Pattern: ", "N words on L lines in F files", "--json", "--limit", "Exit status:");
        assertThat(err).isEmpty();
        assertThat(run("-V")).isZero();
        assertThat(out).matches("pprocess-indexer \\d+\\.\\d+\\.\\d+.*\n");
    }

    @Test
    void indexesAFileReachedThroughSymbolicLinksOnceAndNamesTheLinks() throws IOException {
        Files.createSymbolicLink(corpus.resolve("a-link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(corpus.resolve("z-link.txt"), corpus.resolve("a.txt"));
        assertThat(run(corpus.toString(), "-q", "gamma")).isZero();
        assertThat(out).isEqualTo("gamma\n  a.txt (also a-link.txt, z-link.txt): 2\n1 word on 1 line in 1 file\n");
        assertThat(err).contains("pprocess-indexer: 1 file also named by symbolic links, indexed once")
                .contains("indexed 4 files, ");
        assertThat(run(corpus.toString(), "-q", "gamma", "--verbose")).isZero();
        assertThat(err).contains("pprocess-indexer: a-link.txt leads to a.txt, indexed once as a.txt\n"
                + "pprocess-indexer: z-link.txt leads to a.txt, indexed once as a.txt\n");
    }

    @Test
    void readsGzipAndXzFilesAsTextAndNamesCompressionsItDoesNotRead() throws IOException {
        try (java.io.OutputStream gz = new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(corpus.resolve("notes.gz")))) {
            gz.write("first line\nzebra crossing\n".getBytes(StandardCharsets.UTF_8));
        }
        try (java.io.OutputStream xz = new org.tukaani.xz.XZOutputStream(
                Files.newOutputStream(corpus.resolve("more.html.xz")), new org.tukaani.xz.LZMA2Options())) {
            xz.write("<p>one</p>\n<b>zebu</b> <i hiddenattr=1>x</i>\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(corpus.resolve("old.bz2"), new byte[] {'B', 'Z', 'h', '9', '1', 'A', 'Y', '&', 'S', 'Y'});
        assertThat(run(corpus.toString(), "-q", "zeb", "-q", "hiddenattr", "--verbose")).isZero();
        assertThat(out).isEqualTo("zebra\n  notes.gz: 2\nzebu\n  more.html.xz: 2\n2 words on 2 lines in 2 files\n"
                + "0 words on 0 lines in 0 files\n");
        assertThat(err).contains("pprocess-indexer: warning: skipped old.bz2: compressed with bzip2 "
                + "(only gzip and xz are read)\n");
        assertThat(err.lines().reduce((a, b) -> b).orElseThrow()).startsWith("indexed 6 files, ")
                .endsWith(", 2 skipped, 0 failed");
    }

    @Test
    void groupsSkippedFilesInOneLineListsThemWhenVerboseAndIsSilentWhenQuiet() throws IOException {
        Files.write(corpus.resolve("second.bin"), new byte[] {1, 0, 2});
        Files.write(corpus.resolve("packed.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2});
        assertThat(run(corpus.toString(), "--no-prompt")).isZero();
        assertThat(err.lines()).hasSize(3).first().isEqualTo(
                "pprocess-indexer: skipped 3 files: 2 binary, 1 compressed with zstd (--verbose lists them)");
        assertThat(err.lines()).element(1).isEqualTo(SUBDIRECTORY);
        assertThat(err.lines()).element(2).asString().matches(SUMMARY_RE).endsWith(", 3 skipped, 0 failed");

        assertThat(run(corpus.toString(), "--no-prompt", "-v")).isZero();
        assertThat(err.lines()).startsWith(
                "pprocess-indexer: warning: skipped binary.bin: binary file (NUL byte in the first 8 KiB)",
                "pprocess-indexer: warning: skipped packed.zst: compressed with zstd (only gzip and xz are read)",
                "pprocess-indexer: warning: skipped second.bin: binary file (NUL byte in the first 8 KiB)",
                "pprocess-indexer: skipped 3 files: 2 binary, 1 compressed with zstd");

        assertThat(run(corpus.toString(), "--quiet", "-q", "gamma")).isZero();
        assertThat(err).isEmpty();
        assertThat(out).isEqualTo("gamma\n  a.txt: 2\n1 word on 1 line in 1 file\n");
    }

    @Test
    void answersSeveralTermsWithTheLinesHoldingAllOfThem() {
        assertThat(run(corpus.toString(), "-q", "alpha BET", "-q", "alpha gamma", "-q", "alpha zzz", "-q", "beta  alp")).isZero();
        assertThat(out).isEqualTo("all of: alpha bet\n  a.txt: 1 3\n2 lines in 1 file hold all 2 terms\n"
                + "0 lines hold all 2 terms (1 file holds them all, on different lines)\n"
                + "0 lines hold all 2 terms\n"
                + "all of: beta alp\n  a.txt: 1 3\n2 lines in 1 file hold all 2 terms\n");
    }

    @Test
    void limitsAnAnswerAndSaysHowManyMoreThereAre() {
        assertThat(run(corpus.toString(), "-q", "", "--limit", "2", "-q", "a", "-q", "a al")).isZero();
        assertThat(out).isEqualTo("alpha\n  a.txt: 1 3\n  b.txt: 2\n  latin1.txt: 2\n  page.html: 4\n"
                + "alphabet\n  a.txt: 3\n"
                + "\u2026 and 13 more words (--limit 0 shows all)\n"
                + "15 words on 11 lines in 4 files\n"
                + TestCorpus.ALP
                + "all of: a al\n  a.txt: 1 3\n  b.txt: 2\n"
                + "\u2026 and 2 more files (--limit 0 shows all)\n"
                + "5 lines in 4 files hold all 2 terms\n");
    }

    @Test
    void printsEachAnswerAsOneLineOfJson() throws IOException {
        Files.createSymbolicLink(corpus.resolve("link.txt"), Path.of("b.txt"));
        assertThat(run(corpus.toString(), "--json", "--limit", "1", "-q", "alp", "-q", "beta Alpha", "-q", "\"q\\")).isZero();
        assertThat(out).isEqualTo(String.join("\n",
                "{\"query\":\"alp\",\"terms\":[\"alp\"],\"words\":["
                        + "{\"word\":\"alpha\",\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[1,3]},"
                        + "{\"path\":\"b.txt\",\"also\":[\"link.txt\"],\"lines\":[2]},"
                        + "{\"path\":\"latin1.txt\",\"also\":[],\"lines\":[2]},"
                        + "{\"path\":\"page.html\",\"also\":[],\"lines\":[4]}]},"
                        + "{\"word\":\"alphabet\",\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[3]}]}],"
                        + "\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[1,3]},"
                        + "{\"path\":\"b.txt\",\"also\":[\"link.txt\"],\"lines\":[2]},"
                        + "{\"path\":\"latin1.txt\",\"also\":[],\"lines\":[2]},"
                        + "{\"path\":\"page.html\",\"also\":[],\"lines\":[4]}],"
                        + "\"counts\":{\"words\":2,\"lines\":5,\"files\":4,\"filesWithAllTerms\":4}}",
                "{\"query\":\"beta Alpha\",\"terms\":[\"beta\",\"alpha\"],\"words\":["
                        + "{\"word\":\"alpha\",\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[1,3]}]},"
                        + "{\"word\":\"alphabet\",\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[3]}]},"
                        + "{\"word\":\"beta\",\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[1,3]}]}],"
                        + "\"files\":[{\"path\":\"a.txt\",\"also\":[],\"lines\":[1,3]}],"
                        + "\"counts\":{\"words\":3,\"lines\":2,\"files\":1,\"filesWithAllTerms\":1}}",
                "{\"query\":\"\\\"q\\\\\",\"terms\":[\"\\\"q\\\\\"],\"words\":[],\"files\":[],"
                        + "\"counts\":{\"words\":0,\"lines\":0,\"files\":0,\"filesWithAllTerms\":0}}",
                ""));
    }
}
