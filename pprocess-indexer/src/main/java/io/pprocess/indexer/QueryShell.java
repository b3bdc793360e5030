package io.pprocess.indexer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code Pattern: } prompt: reads prefixes and prints their words until end of input.
 *
 * <p>On a terminal, lines are read with JLine (line editing, in-memory history); Ctrl-D or
 * Ctrl-C ends the session. Otherwise lines are read as they come, without a prompt, so that
 * piped queries produce only answers. Blank lines are ignored.
 */
final class QueryShell {
    static final String PROMPT = "Pattern: ";

    private final PrefixIndex index;
    private final WordAnalyzer normalizer;
    private final PrintStream out;

    QueryShell(PrefixIndex index, WordAnalyzer normalizer, PrintStream out) {
        this.index = index;
        this.normalizer = normalizer;
        this.out = out;
    }

    /**
     * Answers one prefix.
     *
     * @param prefix the prefix as typed; it is normalised as indexed words are
     */
    void answer(String prefix) {
        index.print(normalizer.normalizePrefix(prefix.strip()), out);
        out.flush();
    }

    /**
     * Runs the prompt on this process's terminal until Ctrl-D or Ctrl-C.
     *
     * @throws IOException if the terminal cannot be opened
     */
    void runOnTerminal() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("pprocess-indexer")
                    .build();
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (EndOfFileException | UserInterruptException e) {
                    return;
                }
                if (!line.isBlank()) {
                    answer(line);
                }
            }
        }
    }

    /**
     * Answers each line of a stream that is not a terminal, until its end.
     *
     * @param in the queries, one per line, UTF-8
     * @throws IOException if reading fails
     */
    void runOnStream(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.isBlank()) {
                answer(line);
            }
        }
    }
}
