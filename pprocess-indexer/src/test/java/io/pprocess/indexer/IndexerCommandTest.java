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
            "indexed \\d+ files?, \\d+ words?, \\d+ bytes? in \\d+\\.\\d\\d s \\(\\d+\\.\\d MB/s\\), \\d+ skipped, \\d+ failed";

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
                + "epee\n  a.txt: 4\n1 word, 1 occurrence\n"
                + "cafe\n  a.txt: 4\n1 word, 1 occurrence\n"
                + "greeting\n  page.html: 1\n1 word, 1 occurrence\n"
                + "0 words, 0 occurrences\n"
                + "zeta\n  latin1.txt: 3\n1 word, 1 occurrence\n");
        assertThat(err.lines()).containsExactly(
                "pprocess-indexer: warning: skipped binary.bin: binary file (NUL byte in the first 8 KiB)",
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
                "16 words, 22 occurrences", ""));
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
        assertThat(err).startsWith("WINDOW must be at least 1: 0").contains("Usage: pprocess-indexer");
        assertThat(run(corpus.toString(), "two")).isEqualTo(2);
        assertThat(err).contains("Invalid value for positional parameter at index 1 (WINDOW): 'two'");
    }

    @Test
    void answersPipedQueriesLineByLineWithoutAPromptUntilEndOfInput() {
        int status = runWithInput("alp\n\n   \ncafé\nnothing-matches\n", corpus.toString(), "2", "2");
        assertThat(status).isZero();
        assertThat(out).isEqualTo(TestCorpus.ALP
                + "cafe\n  a.txt: 4\n1 word, 1 occurrence\n"
                + "0 words, 0 occurrences\n");
        assertThat(err).doesNotContainIgnoringCase("jline").doesNotContain("WARNING").doesNotContain("Pattern");
    }

    @Test
    void requiresADirectory() {
        assertThat(run()).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).startsWith("Missing required parameter: 'DIR'").contains("Usage: pprocess-indexer");
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
        assertThat(err).isEqualTo("pprocess-indexer: no files to index in " + empty + "\n");
        assertThat(out).isEmpty();
    }

    @Test
    void printsHelpAndVersionOnStandardOutput() {
        assertThat(run("--help")).isZero();
        assertThat(out).startsWith("Usage: pprocess-indexer").contains("--noprompt", "--recursive", "--query",
                "Pattern: ", "N words, M occurrences", "Exit status:");
        assertThat(err).isEmpty();
        assertThat(run("-V")).isZero();
        assertThat(out).matches("pprocess-indexer \\d+\\.\\d+\\.\\d+.*\n");
    }
}
