package io.pprocess.indexer;

import io.pprocess.KeptWorker;
import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.FailedSlice;
import io.pprocess.indexer.Indexing.Outcome;
import io.pprocess.indexer.Indexing.SkippedFile;
import io.pprocess.indexer.Messages.Slice;
import io.pprocess.internal.keep.KeptWorkers;
import io.pprocess.internal.keep.KeptWorkersCommand;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.jline.terminal.spi.SystemStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code pprocess-indexer} command: indexes the words of the files in a directory with
 * child processes, then answers prefix queries.
 *
 * <pre>
 * pprocess-indexer DIR [WINDOW [SLICE [DELAY]]] [--noprompt]           (the original's form)
 * pprocess-indexer [--window N] [--slice N] [--delay S] [-r] [--no-prompt] [-q PREFIX]...
 *                  [--keep-workers[=DURATION] | --no-keep-workers] [--workers-dir DIR] DIR
 * pprocess-indexer --stop-workers [--workers-dir DIR]
 * </pre>
 *
 * <p>The parent lists the regular files of DIR (of its whole tree with {@code --recursive}),
 * sorted by path, cuts the list into slices, and starts one child process per slice through a
 * continuous {@link io.pprocess.Exchange} limited to WINDOW children at a time (default 4). A
 * child reads its files (UTF-8, malformed bytes replaced), splits them into words with Lucene
 * (Unicode word boundaries, lower case, accents folded to ASCII; {@code .html}/{@code .htm}
 * files without their mark-up) and sends each file's words with their line numbers; the parent
 * merges them into a prefix index. With SLICE given, slices have SLICE files (the original's
 * default, 5, applies whenever WINDOW is given positionally); otherwise slices are cut to about
 * equal byte sizes, one per WINDOW slot (more for inputs above 256 MiB per child), so that few
 * child JVMs are started. DELAY (seconds, default 0) is slept before each file, to watch the
 * window at work.
 *
 * <p><b>Kept workers.</b> By default slices go to worker processes that stay in the background
 * for DURATION (default {@link #DEFAULT_KEEP}) after their last slice, and later runs use them
 * instead of starting new JVMs, whose compiler would take most of their first second
 * ({@link PProcess#keepWorkers}: JVMs on UNIX-domain sockets in a directory private to the user,
 * one set per build). The summary says how many stay and for how long;
 * {@code --stop-workers} ends them; {@code --no-keep-workers} (or
 * {@code PPROCESS_KEEP_WORKERS=off}) indexes with children that end with the run.
 *
 * <p><b>Query output</b> (standard output). For each word that starts with the prefix, in
 * sorted order: the word on a line of its own, then for each file where it occurs, in path
 * order, a line of two spaces, the file's path relative to DIR ({@code /}-separated), a colon,
 * and its line numbers (from 1, ascending) each preceded by a space. After the words, one count
 * line: {@code N word(s), M occurrence(s)}, where M counts the printed line numbers. The prefix
 * is lower-cased and folded like the indexed words; an empty {@code --query ""} matches every
 * word. Example:
 * <pre>
 * cafe
 *   menu.html: 3
 *   notes/today.txt: 1 7
 * cafeteria
 *   notes/today.txt: 2
 * 2 words, 4 occurrences
 * </pre>
 *
 * <p><b>Prompt.</b> Without {@code --query} or {@code --no-prompt}, prefixes are read from
 * standard input, one per line, and answered as above. On a terminal the prompt is
 * {@code Pattern: } with line editing and history; Ctrl-D or Ctrl-C ends it. From a pipe or file
 * no prompt is printed; end of input ends it. Blank lines are ignored.
 *
 * <p><b>Standard error</b> gets a progress bar while indexing when it is a terminal, then the
 * warnings (skipped files, failed slices, in file order) and one summary line:
 * {@code indexed F files, W words, B bytes in T s (R MB/s), S skipped, X failed} (MB = 10^6
 * bytes). A file is skipped, with a warning naming it, when it cannot be read or when its first
 * 8 KiB contain a NUL byte (binary). A child that fails loses only its slice: its files not yet
 * indexed are listed under a warning with the child's error, and the rest is indexed.
 *
 * <p><b>Exit status:</b> 0 on success (also for an empty directory, which is reported and
 * not queried); 1 when a slice failed (after the queries are answered); 2 for a usage error
 * (no directory, bad option), a directory that does not exist, is not a directory or cannot be
 * read.
 */
@Command(name = "pprocess-indexer",
        mixinStandardHelpOptions = true,
        versionProvider = IndexerCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Indexes the words of the files in DIR with child processes (WINDOW at a time, SLICE files each), "
                + "then answers prefix queries: every indexed word starting with the prefix, with the files "
                + "and line numbers where it occurs.",
            "",
            "Words are found with Lucene (Unicode word boundaries, lower case, accents folded to ASCII); "
                + ".html/.htm files are indexed without their tags. Files are read as UTF-8 (malformed bytes "
                + "replaced); files with a NUL byte in their first 8 KiB are skipped as binary."},
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%nOutput:%n",
        footer = {
            "  A query prints, for each word starting with the prefix (sorted), the word",
            "  on its own line, then one line per file where it occurs (in path order):",
            "  two spaces, the path relative to DIR, a colon, and the line numbers",
            "  (ascending, from 1), each after a space; then the count line",
            "  'N words, M occurrences' (M = line numbers printed). The prefix is",
            "  lower-cased and folded like the words; --query '' matches every word.",
            "    cafe",
            "      menu.html: 3",
            "      notes/today.txt: 1 7",
            "    1 word, 2 occurrences",
            "",
            "  Without --query or --no-prompt, prefixes are read from standard input,",
            "  one per line: on a terminal at the prompt 'Pattern: ' (line editing,",
            "  history; Ctrl-D or Ctrl-C ends it), otherwise without a prompt.",
            "",
            "  Standard error gets a progress bar on a terminal, a warning for each",
            "  skipped file and failed slice, and the summary line",
            "  'indexed F files, W words, B bytes in T s (R MB/s), S skipped, X failed'."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:Done (also for an empty DIR, which is reported and not queried).",
            "1:A child process failed; its files are listed and were not indexed.",
            "2:Usage error, or DIR does not exist, is not a directory or cannot be read."})
public final class IndexerCommand implements Callable<Integer> {
    static final String NAME = "pprocess-indexer";
    static final int DEFAULT_WINDOW = 4;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "The directory whose files are indexed (required unless --stop-workers).")
    private Path directory;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WINDOW",
            description = "As --window (the original's positional form).")
    private Integer windowArgument;

    @Parameters(index = "2", arity = "0..1", paramLabel = "SLICE",
            description = "As --slice (the original's positional form).")
    private Integer sliceArgument;

    @Parameters(index = "3", arity = "0..1", paramLabel = "DELAY",
            description = "As --delay (the original's positional form).")
    private Double delayArgument;

    @Option(names = {"-w", "--window"}, paramLabel = "N",
            description = "The most child processes running at once (default: 4).")
    private Integer windowOption;

    @Option(names = {"-s", "--slice"}, paramLabel = "N",
            description = "Files per child process (default: 5 when WINDOW is given positionally; "
                    + "otherwise slices of about equal bytes, one per window slot).")
    private Integer sliceOption;

    @Option(names = {"-d", "--delay"}, paramLabel = "SECONDS",
            description = "Sleep this long in the child before each file (default: 0).")
    private Double delayOption;

    @Option(names = {"-r", "--recursive"}, description = "Index the files of subdirectories too.")
    private boolean recursive;

    @Option(names = {"-n", "--no-prompt", "--noprompt"}, description = "Index, print the summary and exit.")
    private boolean noPrompt;

    @Option(names = {"-q", "--query"}, paramLabel = "PREFIX",
            description = "Answer this prefix and exit without a prompt (repeatable).")
    private List<String> queries;

    @Option(names = "--keep-workers", arity = "0..1", paramLabel = "DURATION", fallbackValue = "5m",
            description = "Keep the worker processes in the background for DURATION after their last slice "
                    + "(the default, 5m; s, m, h or ISO-8601 such as PT1H), and use those an earlier run "
                    + "kept: later runs skip the workers' start and warm-up.")
    private String keepWorkers;

    @Option(names = "--no-keep-workers",
            description = "Index with child processes that end with the run (also PPROCESS_KEEP_WORKERS=off).")
    private boolean noKeepWorkers;

    @Option(names = "--stop-workers",
            description = "End the kept workers (a busy one when its run lets it go) and exit.")
    private boolean stopWorkers;

    @Option(names = "--workers-dir", paramLabel = "DIR",
            description = "Where kept workers listen (default: $XDG_RUNTIME_DIR/pprocess-workers, "
                    + "else pprocess-workers-USER in the temporary directory).")
    private Path workersDirectory;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final BooleanSupplier terminalInput;
    private final BooleanSupplier terminalError;

    /**
     * Creates the command on given streams, for running in-process.
     *
     * @param in where prompt input comes from
     * @param out where answers go
     * @param err where progress, warnings and the summary go
     * @param terminalInput tells whether {@code in} is this process's terminal (JLine prompt);
     *     asked only when a prompt is about to start
     * @param terminalError tells whether {@code err} is this process's terminal (progress bar);
     *     asked only when indexing is about to start
     */
    IndexerCommand(InputStream in, PrintStream out, PrintStream err, BooleanSupplier terminalInput,
                   BooleanSupplier terminalError) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminalInput = terminalInput;
        this.terminalError = terminalError;
    }

    /**
     * Runs the command and exits with its status. Standard output and error are written in UTF-8.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = execute(args, System.in, out, err,
                () -> Terminals.isTerminal(SystemStream.Input), () -> Terminals.isTerminal(SystemStream.Error));
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Runs the command on given streams and returns its exit status.
     *
     * @param args the command line
     * @param in where prompt input comes from
     * @param out standard output
     * @param err standard error
     * @param terminalInput tells whether {@code in} is a terminal
     * @param terminalError tells whether {@code err} is a terminal
     * @return the exit status
     */
    static int execute(String[] args, InputStream in, PrintStream out, PrintStream err,
                       BooleanSupplier terminalInput, BooleanSupplier terminalError) {
        CommandLine cmd = new CommandLine(new IndexerCommand(in, out, err, terminalInput, terminalError));
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cmd.execute(args);
    }

    /**
     * The settings of a run, after defaults.
     *
     * @param window the most children at once
     * @param slice files per child, or {@code null} for adaptive slices
     * @param delayMillis the per-file delay
     * @param keepWorkers how long kept workers wait for the next run, or {@code null} for new
     *     children that end with the run
     */
    record Settings(int window, Integer slice, long delayMillis, Duration keepWorkers) {
    }

    /**
     * Resolves positional and named arguments and defaults.
     *
     * @return the settings
     * @throws ParameterException if a value is given twice differently or is out of range
     */
    Settings settings() {
        int window = pick("WINDOW", windowArgument, "--window", windowOption, DEFAULT_WINDOW);
        Integer slice = sliceArgument != null || sliceOption != null
                ? pick("SLICE", sliceArgument, "--slice", sliceOption, FileListing.DEFAULT_SLICE)
                : windowArgument != null ? Integer.valueOf(FileListing.DEFAULT_SLICE) : null;
        double delay = pick("DELAY", delayArgument, "--delay", delayOption, 0.0);
        if (window < 1) {
            throw usage("WINDOW must be at least 1: " + window);
        }
        if (slice != null && slice < 1) {
            throw usage("SLICE must be at least 1: " + slice);
        }
        if (!(delay >= 0) || delay > 86_400) {
            throw usage("DELAY must be a number of seconds from 0 to 86400: " + delay);
        }
        if (noKeepWorkers && keepWorkers != null) {
            throw usage("--keep-workers and --no-keep-workers are given together");
        }
        Duration keep;
        if (noKeepWorkers) {
            keep = null;
        } else if (keepWorkers != null) {
            keep = duration(keepWorkers);
        } else if (KeptWorkers.configured()) {
            Duration configured = PProcess.keptWorkersIdleLimit();
            keep = configured.isZero() ? null : configured;
        } else {
            keep = DEFAULT_KEEP;
        }
        return new Settings(window, slice, Math.round(delay * 1000), keep);
    }

    /** How long kept workers wait for the next run unless told otherwise. */
    static final Duration DEFAULT_KEEP = Duration.ofMinutes(5);

    /**
     * Reads a duration: a number with {@code s}, {@code m} or {@code h}, or ISO-8601.
     *
     * @throws ParameterException if it is not one, or not positive
     */
    private Duration duration(String text) {
        String t = text.trim();
        Duration d;
        try {
            if (t.matches("\\d{1,9}[smh]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                char unit = t.charAt(t.length() - 1);
                d = unit == 's' ? Duration.ofSeconds(n) : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofHours(n);
            } else {
                d = Duration.parse(t);
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw usage("--keep-workers takes a duration such as 30s, 15m, 2h or PT1H: " + text);
        }
        if (d.isZero() || d.isNegative()) {
            throw usage("--keep-workers must be positive: " + text);
        }
        return d;
    }

    @Override
    public Integer call() throws IOException {
        String previousDirectory = System.getProperty(WORKERS_DIR_PROPERTY);
        Duration previousKeep = PProcess.keptWorkersIdleLimit();
        if (workersDirectory != null) {
            System.setProperty(WORKERS_DIR_PROPERTY, workersDirectory.toAbsolutePath().toString());
        }
        try {
            return run();
        } finally {
            PProcess.keepWorkers(previousKeep);
            if (previousDirectory == null) {
                System.clearProperty(WORKERS_DIR_PROPERTY);
            } else {
                System.setProperty(WORKERS_DIR_PROPERTY, previousDirectory);
            }
        }
    }

    private static final String WORKERS_DIR_PROPERTY = "pprocess.keptWorkersDir";

    private int run() throws IOException {
        if (stopWorkers) {
            List<KeptWorker> stopped = PProcess.stopKeptWorkers();
            for (KeptWorker w : stopped) {
                err.println(NAME + ": kept worker " + w.pid() + (w.busy() ? " ends when its run lets it go" : " stopped"));
            }
            if (stopped.isEmpty()) {
                err.println(NAME + ": no kept workers in " + KeptWorkers.base());
            }
            return 0;
        }
        if (directory == null) {
            throw usage("Missing required parameter: 'DIR'");
        }
        Settings settings = settings();
        String problem = checkDirectory(directory);
        if (problem != null) {
            err.println(NAME + ": error: " + problem);
            return 2;
        }
        FileListing listing;
        try {
            listing = FileListing.list(directory, recursive, this::warn);
        } catch (IOException e) {
            err.println(NAME + ": error: cannot read directory " + directory + ": " + FileListing.describe(e));
            return 2;
        }
        if (listing.size() == 0) {
            err.println(NAME + ": no files to index in " + directory);
            return 0;
        }
        List<Slice> slices = settings.slice() != null
                ? listing.slices(settings.slice(), settings.delayMillis())
                : listing.adaptiveSlices(Indexing.busyChildren(settings.window()), settings.delayMillis());
        Outcome outcome;
        try (Progress progress = terminalError.getAsBoolean()
                ? Progress.bar(err, Terminals.width(SystemStream.Error), listing.size(), listing.totalBytes())
                : Progress.silent()) {
            outcome = index(listing, slices, settings, progress);
        }
        report(outcome);
        if (settings.keepWorkers() != null) {
            reportKept(settings.keepWorkers());
        }
        QueryShell shell = new QueryShell(outcome.index(), new WordAnalyzer(), out);
        if (queries != null) {
            for (String q : queries) {
                shell.answer(q);
            }
        } else if (!noPrompt) {
            if (terminalInput.getAsBoolean()) {
                shell.runOnTerminal();
            } else {
                shell.runOnStream(in);
            }
        }
        return outcome.failed().isEmpty() ? 0 : 1;
    }

    private Outcome index(FileListing listing, List<Slice> slices, Settings settings, Progress progress) {
        if (settings.keepWorkers() == null) {
            PProcess.keepWorkers(Duration.ZERO);
            return Indexing.run(listing, slices, settings.window(), progress);
        }
        try {
            KeptWorkers.buildDirectory();
        } catch (IOException e) {
            warn("cannot keep workers in " + KeptWorkers.base() + " (" + e.getMessage()
                    + "); indexing with new child processes");
            PProcess.keepWorkers(Duration.ZERO);
            return Indexing.run(listing, slices, settings.window(), progress);
        }
        PProcess.keepWorkers(settings.keepWorkers());
        return Indexing.run(listing, slices, settings.window(), progress);
    }

    /** Says how many workers of this build stay, for how long, and how to end them now. */
    private void reportKept(Duration idle) {
        Path build;
        try {
            build = KeptWorkers.buildDirectory();
        } catch (IOException e) {
            return;
        }
        long count = PProcess.keptWorkers().stream().filter(w -> build.equals(w.address().getParent())).count();
        if (count > 0) {
            err.println(PrefixIndex.count(count, "worker") + " stay for " + KeptWorkersCommand.human(idle)
                    + " after the last run, to be reused; '" + NAME + " --stop-workers' ends them now, "
                    + "--no-keep-workers does without");
        }
    }

    private void report(Outcome o) {
        for (SkippedFile s : o.skipped()) {
            warn("skipped " + s.name() + ": " + s.reason());
        }
        for (FailedSlice f : o.failed()) {
            warn("slice " + f.slice() + " failed (" + f.reason() + "); not indexed:");
            for (String name : f.files()) {
                err.println("  " + name);
            }
        }
        double seconds = o.nanos() / 1e9;
        double rate = seconds > 0 ? o.bytes() / 1e6 / seconds : 0;
        err.println(String.format(Locale.ROOT, "indexed %s, %s, %s in %.2f s (%.1f MB/s), %d skipped, %d failed",
                PrefixIndex.count(o.files(), "file"), PrefixIndex.count(o.index().wordCount(), "word"),
                PrefixIndex.count(o.bytes(), "byte"), seconds, rate, o.skipped().size(), o.failedFiles()));
        err.flush();
    }

    private void warn(String message) {
        err.println(NAME + ": warning: " + message);
    }

    private static String checkDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return "no such directory: " + dir;
        }
        if (!Files.isDirectory(dir)) {
            return "not a directory: " + dir;
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            return "cannot read directory " + dir + ": permission denied";
        }
        return null;
    }

    private <T> T pick(String positional, T argument, String option, T optionValue, T fallback) {
        if (argument != null && optionValue != null && !argument.equals(optionValue)) {
            throw usage(positional + " is given twice: " + argument + " as an argument and " + optionValue
                    + " with " + option);
        }
        return argument != null ? argument : optionValue != null ? optionValue : fallback;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Reads the version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream s = IndexerCommand.class.getResourceAsStream("version.properties")) {
                if (s != null) {
                    p.load(s);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {NAME + " " + p.getProperty("version", "unknown")};
        }
    }
}
