package io.pprocess.indexer;

import io.pprocess.KeptWorker;
import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.FailedSlice;
import io.pprocess.indexer.Indexing.Outcome;
import io.pprocess.indexer.Indexing.SkippedFile;
import io.pprocess.indexer.Messages.Slice;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * sorted by path, and has child processes index them through a continuous
 * {@link io.pprocess.Exchange}: at most WINDOW children at a time (default 4), and never more
 * JVMs starting at once than the machine has cores ({@link PProcess#numberOfCores()}), since
 * more JVMs booting and compiling than cores would only take turns on them, each paying its own
 * start and compilation (a child is starting until its first report; with shared slices,
 * below, or kept workers, no more children run than cores). A child reads its files
 * (UTF-8, malformed bytes replaced), splits them into words with Lucene (Unicode word
 * boundaries, lower case, accents folded to ASCII; {@code .html}/{@code .htm} files without
 * their mark-up), indexes them, and sends its index; the parent merges the children's indexes
 * into one prefix index. With SLICE given, the list is cut into slices of SLICE files (the
 * original's default, 5, applies whenever WINDOW is given positionally), each indexed by a child
 * of its own. Otherwise the children ask for files as they go (pieces of up to 4 MiB, smaller
 * towards the end so that they finish together), and a second child JVM is started only when the
 * files left would take the first one more than about three seconds (the system property
 * {@code pprocess.indexer.newChildPaysMillis} of the parent sets it): a new JVM spends about a
 * second of CPU starting and compiling, taken from the cores the others read on (kept workers,
 * which have done that already, are all taken at once). DELAY (seconds, default 0) is slept
 * before each file, to watch the window at work.
 *
 * <p><b>Kept workers.</b> By default slices go to worker processes that stay in the background
 * for DURATION (default {@link #DEFAULT_KEEP}) after their last slice, and later runs use them
 * instead of starting new JVMs, whose compiler would take most of their first second
 * ({@link PProcess#keepWorkers}: JVMs on UNIX-domain sockets in a directory private to the user,
 * one set per build). Without SLICE, the kept workers are claimed while the files are listed,
 * each asking for its first piece once they are. The summary says how many stay and for how long;
 * {@code --stop-workers} ends them; {@code --no-keep-workers} (or
 * {@code PPROCESS_KEEP_WORKERS=off}) indexes with children that end with the run.
 *
 * <p><b>Files.</b> Only DIR's own files are indexed unless {@code --recursive} is given, as
 * with {@code grep} and in the original program (a tree can be far larger than the directory
 * named, so descending is asked for);
 * the summary says how many subdirectories were left out. A file reached through several names
 * (symbolic links) is indexed once, under its own name when it is in the tree, else under the
 * first link's; answers show the other names. Files compressed with gzip or xz are read
 * decompressed (see {@link FileAnalyzer}).
 *
 * <p><b>Queries.</b> A query is one or more terms separated by blanks; each term is a prefix,
 * lower-cased and folded like the indexed words. For one term, the answer lists each word that
 * starts with it, in sorted order, on a line of its own, then for each file where it occurs, in
 * path order, a line of two spaces, the file's path relative to DIR ({@code /}-separated), its
 * other names as {@code (also NAME, ...)} when symbolic links lead to it, a colon, and its line
 * numbers (from 1, ascending) each preceded by a space. Then one count line: {@code N word(s) on
 * L line(s) in F file(s)}, where L counts lines as {@code grep -c} does (a line with two matching
 * words is one line). An empty {@code --query ""} matches every word. For several terms, the
 * answer is the lines that hold a word starting with each term: a line {@code all of: TERMS},
 * the files with those lines as above, and {@code L line(s) in F file(s) hold all K terms} (when
 * no line does, how many files hold them all on different lines). Example:
 * <pre>
 * cafe
 *   menu.html: 3
 *   notes/today.txt: 1 7
 * cafeteria
 *   notes/today.txt: 2
 * 2 words on 4 lines in 2 files
 * </pre>
 *
 * <p><b>Limit.</b> With {@code --limit N} (default 20 at a terminal prompt, else none) an answer
 * shows its first N words (N files for several terms) and then {@code … and M more words (--limit
 * 0 shows all)}; the count line still counts everything.
 *
 * <p><b>JSON.</b> With {@code --json}, each answer is one line of JSON, never limited or paged;
 * members always present, in this order: {@code query} (as typed), {@code terms} (normalised),
 * {@code words} (each {@code {"word", "files"}}), {@code files} (the lines holding every term:
 * each {@code {"path", "also", "lines"}}), {@code counts} ({@code words}, {@code lines},
 * {@code files}, {@code filesWithAllTerms}). See {@link Answer#json}.
 *
 * <p><b>Prompt.</b> Without {@code --query} or {@code --no-prompt}, queries are read from
 * standard input, one per line, and answered as above. On a terminal the prompt is
 * {@code Pattern: } with line editing and history; Ctrl-C abandons the line and prompts again,
 * Ctrl-D (on an empty line) ends it, as in shells; an answer taller than the terminal goes
 * through {@code $PAGER} (default {@code less}; not with {@code --no-pager}). From a pipe or file
 * no prompt is printed; end of input ends it. Blank lines are ignored.
 *
 * <p><b>Standard error</b> gets a progress bar while indexing when it is a terminal, then one
 * line grouping the skipped files by reason ({@code skipped S files: 2 binary, 1 unreadable};
 * {@code --verbose} lists each file, {@code --quiet} neither), notes on symbolic links and
 * subdirectories left out, the failed slices, and one summary line: {@code indexed F files, W
 * words, SIZE in T s (RATE), S skipped, X failed}; sizes and rates are formatted as in the
 * progress bar ({@link Sizes}: 1 kB = 1000 bytes; the bar counts every listed file, the summary
 * the indexed ones). A file is skipped when it cannot be read,
 * when its first 8 KiB contain a NUL byte (binary), or when it is compressed in a way that is
 * not read. A child that fails loses only its files: those of its slice (without SLICE, of the
 * piece it was reading) not yet indexed are listed under a warning with the child's error, and
 * the rest is indexed (without SLICE, by the other children, or by a new one when none is left;
 * after three children in a row fail before delivering anything, the files left are listed as
 * failed with the last error).
 *
 * <p><b>Usage errors</b> print {@code pprocess-indexer: PROBLEM}, the one-line usage and
 * {@code Try 'pprocess-indexer --help' for more information.}, and exit with status 2.
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
                + "then answers queries: every indexed word starting with the prefix, with the files "
                + "and line numbers where it occurs; for several terms, the lines holding all of them.",
            "",
            "Words are found with Lucene (Unicode word boundaries, lower case, accents folded to ASCII); "
                + ".html/.htm files are indexed without their tags. Files are read as UTF-8 (malformed bytes "
                + "replaced), gzip and xz files decompressed; files with a NUL byte in their first 8 KiB are "
                + "skipped as binary. A file reached through symbolic links is indexed once."},
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%nOutput:%n",
        footer = {
            "  A query of one term (a prefix, lower-cased and folded like the words)",
            "  prints each word starting with it (sorted) on its own line, then one",
            "  line per file where it occurs (in path order): two spaces, the path",
            "  relative to DIR, '(also NAME)' for symbolic links to it, a colon, and",
            "  the line numbers (ascending, from 1); then the count line",
            "  'N words on L lines in F files' (lines counted as grep -c does).",
            "  --query '' matches every word.",
            "    cafe",
            "      menu.html: 3",
            "      notes/today.txt: 1 7",
            "    1 word on 3 lines in 2 files",
            "  Several terms: the lines holding a word of each term, as",
            "  'all of: TERMS', the files and lines, and 'L lines in F files hold",
            "  all K terms'.",
            "",
            "  --json prints each answer as one line of JSON: query, terms, words",
            "  [{word, files}], files [{path, also, lines}] (the lines holding every",
            "  term), counts {words, lines, files, filesWithAllTerms}.",
            "",
            "  Without --query or --no-prompt, queries are read from standard input,",
            "  one per line: on a terminal at the prompt 'Pattern: ' (line editing,",
            "  history; Ctrl-C cancels the line, Ctrl-D ends; long answers go",
            "  through $PAGER or less), otherwise without a prompt.",
            "",
            "  Standard error gets a progress bar on a terminal, one line grouping",
            "  the skipped files by reason (--verbose lists them), the failed slices,",
            "  and the summary 'indexed F files, W words, SIZE in T s (RATE), S",
            "  skipped, X failed'."},
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
            description = "The most child processes running at once (default: 4; never more starting "
                    + "at once than the machine's cores, and without --slice or with kept workers never more "
                    + "running).")
    private Integer windowOption;

    @Option(names = {"-s", "--slice"}, paramLabel = "N",
            description = "Files per child process (default: 5 when WINDOW is given positionally; "
                    + "otherwise the children ask for files as they go).")
    private Integer sliceOption;

    @Option(names = {"-d", "--delay"}, paramLabel = "SECONDS",
            description = "Sleep this long in the child before each file (default: 0).")
    private Double delayOption;

    @Option(names = {"-r", "--recursive"},
            description = "Index the files of subdirectories too (default: DIR's own files only; the summary "
                    + "says how many subdirectories were left out).")
    private boolean recursive;

    @Option(names = {"-n", "--no-prompt", "--noprompt"}, description = "Index, print the summary and exit.")
    private boolean noPrompt;

    @Option(names = {"-q", "--query"}, paramLabel = "PREFIX",
            description = "Answer this prefix and exit without a prompt (repeatable).")
    private List<String> queries;

    @Option(names = {"-l", "--limit"}, paramLabel = "N",
            description = "Show at most N words per answer (N files for a query of several terms) and how many "
                    + "more there are; 0 shows all (default: 20 at a terminal prompt, else 0).")
    private Integer limit;

    @Option(names = "--json",
            description = "Print each answer as one line of JSON (see Output); no limit, no pager.")
    private boolean json;

    @Option(names = "--no-pager",
            description = "At a terminal prompt, print answers taller than the terminal instead of paging them "
                    + "through $PAGER (default: less).")
    private boolean noPager;

    @Option(names = {"-v", "--verbose"},
            description = "List every skipped file and every symbolic link indexed as the file it leads to.")
    private boolean verbose;

    @Option(names = "--quiet",
            description = "No progress bar, skip notices or summary; errors and failed slices are still reported.")
    private boolean quiet;

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
        cmd.setParameterExceptionHandler(IndexerCommand::usageError);
        return cmd.execute(args);
    }

    /** The one-line usage printed after a usage error. */
    static final String SHORT_USAGE = "Usage: " + NAME + " [OPTION]... DIR [WINDOW [SLICE [DELAY]]]";

    /**
     * Prints a usage error as command-line tools do: the program's name and the problem, the
     * one-line usage, and where to read more; exit status 2.
     */
    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String message = e.getMessage();
        if (message.length() > 1 && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1))) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        err.println(NAME + ": " + message);
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
        }
        err.println(SHORT_USAGE);
        err.println("Try '" + NAME + " --help' for more information.");
        err.flush();
        return 2;
    }

    /**
     * The settings of a run, after defaults.
     *
     * @param window the most children at once
     * @param slice files per child, or {@code null} for shared slices (children ask for files)
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
        } else if (PProcess.keepWorkersSetting().isPresent()) {
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
                err.println(NAME + ": no kept workers in " + PProcess.keptWorkersBaseDirectory());
            }
            return 0;
        }
        if (directory == null) {
            throw usage("Missing required parameter: 'DIR'");
        }
        Settings settings = settings();
        if (limit != null && limit < 0) {
            throw usage("--limit must be 0 (no limit) or more: " + limit);
        }
        String problem = checkDirectory(directory);
        if (problem != null) {
            err.println(NAME + ": error: " + problem);
            return 2;
        }
        keepWorkers(settings);
        FileListing listing;
        List<String> unreadable = new ArrayList<>();
        Outcome outcome;
        // Kept workers are claimed while the files are listed (shared slices only: with a slice
        // size, each slice is started with its files).
        try (Indexing.EarlyStart early = settings.slice() == null
                ? Indexing.EarlyStart.ofKeptWorkers(settings.window(), settings.delayMillis()) : null) {
            try {
                listing = FileListing.list(directory, recursive, unreadable::add);
            } catch (IOException e) {
                err.println(NAME + ": error: cannot read directory " + directory + ": " + FileListing.describe(e));
                return 2;
            }
            if (listing.size() == 0) {
                for (String u : unreadable) {
                    warn(u);
                }
                err.println(NAME + ": no files to index in " + directory
                        + (listing.subdirectories() > 0 ? "; " + subdirectoryNote(listing) : ""));
                return 0;
            }
            List<Slice> slices = settings.slice() != null ? listing.slices(settings.slice(), settings.delayMillis()) : null;
            try (Progress progress = !quiet && terminalError.getAsBoolean()
                    ? Progress.bar(err, Terminals.width(SystemStream.Error), listing.size(), listing.totalBytes())
                    : Progress.silent()) {
                outcome = slices != null ? Indexing.run(listing, slices, settings.window(), progress)
                        : Indexing.shared(listing, settings.window(), settings.delayMillis(), progress, early);
            }
        }
        report(outcome, listing, unreadable);
        if (settings.keepWorkers() != null && !quiet) {
            reportKept();
        }
        if (queries != null) {
            QueryShell shell = shell(outcome, listing, limit != null ? limit : 0, null);
            for (String q : queries) {
                shell.answer(q);
            }
        } else if (!noPrompt) {
            if (terminalInput.getAsBoolean()) {
                boolean pageable = !json && !noPager && Terminals.isTerminal(SystemStream.Output);
                shell(outcome, listing, limit != null ? limit : PROMPT_LIMIT, pageable ? pager() : null)
                        .runOnTerminal();
            } else {
                shell(outcome, listing, limit != null ? limit : 0, null).runOnStream(in);
            }
        }
        return outcome.failed().isEmpty() ? 0 : 1;
    }

    /** The default {@code --limit} at a terminal prompt. */
    static final int PROMPT_LIMIT = 20;

    private QueryShell shell(Outcome outcome, FileListing listing, int shownLimit, String pager) {
        return new QueryShell(outcome.index(), new WordAnalyzer(), listing, out,
                new QueryShell.Options(json ? 0 : shownLimit, json, pager));
    }

    /**
     * Returns the pager command: {@code $PAGER} when set ({@code null} when it is empty or
     * {@code cat}), else {@code less} when it is on the PATH, else {@code null}.
     */
    static String pager() {
        String pager = System.getenv("PAGER");
        if (pager != null) {
            return pager.isBlank() || pager.strip().equals("cat") ? null : pager;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "less"))) {
                    return "less";
                }
            }
        }
        return null;
    }

    /**
     * Turns kept workers on or off for this run, before the files are listed: when they are
     * on, the library names the build and loads its serialiser on a thread of its own, beside
     * the listing. A kept workers' directory that cannot be used is warned about, and the run
     * uses new child processes.
     */
    private void keepWorkers(Settings settings) {
        if (settings.keepWorkers() == null) {
            PProcess.keepWorkers(Duration.ZERO);
            return;
        }
        try {
            PProcess.keptWorkersDirectory();
        } catch (IOException e) {
            warn("cannot keep workers in " + PProcess.keptWorkersBaseDirectory() + " (" + e.getMessage()
                    + "); indexing with new child processes");
            PProcess.keepWorkers(Duration.ZERO);
            return;
        }
        PProcess.keepWorkers(settings.keepWorkers());
    }

    /** Says how many workers of this build stay, for how long, and how to end them now. */
    private void reportKept() {
        PProcess.keptWorkersNotice(NAME).ifPresent(err::println);
    }

    private void report(Outcome o, FileListing listing, List<String> unreadable) {
        if (verbose && !quiet) {
            for (String u : unreadable) {
                warn(u);
            }
            for (SkippedFile sk : o.skipped()) {
                warn("skipped " + sk.name() + ": " + sk.reason());
            }
            for (int f = 0; f < listing.size(); f++) {
                for (String alias : listing.aliases().get(f)) {
                    err.println(NAME + ": " + alias + " leads to " + listing.names().get(f) + ", indexed once as "
                            + listing.names().get(f));
                }
            }
        }
        for (FailedSlice f : o.failed()) {
            warn("slice " + f.slice() + " failed (" + f.reason() + "); not indexed:");
            for (String name : f.files()) {
                err.println("  " + name);
            }
        }
        if (quiet) {
            err.flush();
            return;
        }
        int skipped = o.skipped().size() + unreadable.size();
        if (skipped > 0) {
            Map<String, Integer> kinds = new TreeMap<>();
            for (SkippedFile sk : o.skipped()) {
                kinds.merge(kind(sk.reason()), 1, Integer::sum);
            }
            if (!unreadable.isEmpty()) {
                kinds.merge("unreadable", unreadable.size(), Integer::sum);
            }
            StringBuilder line = new StringBuilder(NAME + ": skipped " + PrefixIndex.count(skipped, "file") + ": ");
            kinds.forEach((kind, n) -> line.append(n).append(' ').append(kind).append(", "));
            line.setLength(line.length() - 2);
            if (!verbose) {
                line.append(" (--verbose lists them)");
            }
            err.println(line);
        }
        int aliased = listing.aliasedFiles();
        if (aliased > 0 && !verbose) {
            err.println(NAME + ": " + PrefixIndex.count(aliased, "file") + " also named by symbolic links, indexed once"
                    + " (answers show the other names; --verbose lists them)");
        }
        if (listing.subdirectories() > 0) {
            err.println(NAME + ": " + subdirectoryNote(listing));
        }
        double seconds = o.nanos() / 1e9;
        err.println(String.format(Locale.ROOT, "indexed %s, %s, %s in %.2f s (%s), %d skipped, %d failed",
                PrefixIndex.count(o.files(), "file"), PrefixIndex.count(o.index().wordCount(), "word"),
                Sizes.bytes(o.bytes()), seconds, Sizes.rate(o.bytes(), o.nanos()), skipped, o.failedFiles()));
        err.flush();
    }

    private static String subdirectoryNote(FileListing listing) {
        int n = listing.subdirectories();
        return (n == 1 ? "1 subdirectory was" : n + " subdirectories were") + " not indexed (--recursive indexes them)";
    }

    /**
     * Groups skip reasons: {@code binary}, {@code unreadable}, {@code too large}, the
     * compression, or the reason up to its details.
     */
    static String kind(String reason) {
        if (reason.startsWith("binary")) {
            return "binary";
        }
        if (reason.startsWith("cannot read")) {
            return "unreadable";
        }
        if (reason.startsWith("cannot analyse")) {
            return "not analysable";
        }
        int cut = reason.length();
        for (String stop : new String[] {" (", ":"}) {
            int at = reason.indexOf(stop);
            if (at > 0) {
                cut = Math.min(cut, at);
            }
        }
        return reason.substring(0, cut);
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
