package io.pprocess.indexer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code Pattern: } prompt: reads queries and prints their answers until end of input.
 *
 * <p>On a terminal, lines are read with JLine (line editing, in-memory history); as in shells
 * and other read-eval-print loops, Ctrl-C abandons the line being typed and prompts again, and
 * Ctrl-D on an empty line ends the session. An answer taller than the terminal goes through a
 * pager when one is set ({@link Options#pager}). Otherwise lines are read as they come, without
 * a prompt, so that piped queries produce only answers. Blank lines are ignored.
 */
final class QueryShell {
    static final String PROMPT = "Pattern: ";
    private static final String CANCEL_LINE = "pprocess-cancel-line";
    /** A control character of this value is disabled ({@code _POSIX_VDISABLE} on Linux). */
    private static final int DISABLED_CHARACTER = 0;

    /**
     * How answers are shown.
     *
     * @param limit the most words (or files, for several terms) shown per answer, 0 for all
     * @param json whether each answer is one line of JSON ({@link Answer#json}); no limit then
     * @param pager the shell command that pages a long answer at the prompt, or {@code null}
     *     for none
     */
    record Options(int limit, boolean json, String pager) {
    }

    private final PrefixIndex index;
    private final WordAnalyzer normalizer;
    private final FileListing listing;
    private final PrintStream out;
    private final Options options;

    QueryShell(PrefixIndex index, WordAnalyzer normalizer, FileListing listing, PrintStream out, Options options) {
        this.index = index;
        this.normalizer = normalizer;
        this.listing = listing;
        this.out = out;
        this.options = options;
    }

    /**
     * Returns the answer to one query as it is printed, line break at the end included.
     *
     * @param query the query as typed
     * @param limit the most words or files shown, 0 for all (ignored for JSON)
     * @return the text
     */
    String render(String query, int limit) {
        Answer answer = Answer.of(index, normalizer, query, listing.names(), listing.aliases());
        if (options.json()) {
            return answer.json() + "\n";
        }
        StringBuilder sb = new StringBuilder(256);
        answer.appendText(sb, limit);
        return sb.toString();
    }

    /**
     * Answers one query on the output stream.
     *
     * @param query the query as typed
     */
    void answer(String query) {
        out.print(render(query, options.limit()));
        out.flush();
    }

    /**
     * Runs the prompt on this process's terminal until Ctrl-D (or the end of its input).
     *
     * @throws IOException if the terminal cannot be opened
     */
    void runOnTerminal() throws IOException {
        // Ctrl-C outside the line reader (while an answer is printed or paged) does not end the
        // program: the terminal's SIGINT is ignored then. While a line is read, the terminal has
        // no interrupt character (VINTR disabled; Ctrl-Z and Ctrl-\ keep their signals): the
        // reader gets Ctrl-C as a key, on its own thread, and abandons the line, so no signal
        // handler has to reach the reading thread in time.
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true)
                .signalHandler(Terminal.SignalHandler.SIG_IGN).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName(IndexerCommand.NAME)
                    .build();
            reader.getWidgets().put(CANCEL_LINE, () -> {
                throw new UserInterruptException(reader.getBuffer().toString());
            });
            for (String map : List.of(LineReader.EMACS, LineReader.VIINS, LineReader.VICMD)) {
                reader.getKeyMaps().get(map).bind(new Reference(CANCEL_LINE), KeyMap.ctrl('C'));
            }
            Attributes answering = terminal.getAttributes();
            Attributes reading = new Attributes(answering);
            reading.setControlChar(Attributes.ControlChar.VINTR, DISABLED_CHARACTER);
            while (true) {
                String line;
                terminal.setAttributes(reading);
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return;
                } finally {
                    terminal.setAttributes(answering);
                }
                if (!line.isBlank()) {
                    show(terminal, render(line, options.limit()));
                }
            }
        }
    }

    private void show(Terminal terminal, String text) {
        int height = terminal.getHeight();
        long lines = text.chars().filter(c -> c == '\n').count();
        if (options.pager() != null && height > 0 && lines >= height && page(text)) {
            return;
        }
        out.print(text);
        out.flush();
    }

    /** Gives the text to the pager; false (having shown nothing) if it cannot be started. */
    private boolean page(String text) {
        out.flush();
        Process pager;
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", options.pager()))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putIfAbsent("LESS", "FRX");
            pager = pb.start();
        } catch (IOException e) {
            return false;
        }
        try (OutputStream in = pager.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The pager quit before reading everything (q in less): nothing more to show.
        }
        try {
            pager.waitFor(); // as long as the user reads
        } catch (InterruptedException e) {
            pager.destroy();
            Thread.currentThread().interrupt();
        }
        return true;
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
