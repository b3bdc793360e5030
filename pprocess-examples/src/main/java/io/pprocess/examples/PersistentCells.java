package io.pprocess.examples;

import io.pprocess.BackgroundProcess;
import io.pprocess.Channel;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.PersistentQueue;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * What the per-cell persistent examples share: one background process per cell, each
 * listening at its own socket file; the report of the run that starts them and the run that
 * collects their results.
 */
final class PersistentCells {

    private PersistentCells() {
    }

    /**
     * The options of the exchange that starts the background processes: no limit, so that
     * every cell is started at once. A persistent job keeps its place in the exchange until its
     * result is collected, and jobs queued beyond a limit are only started while the exchange
     * is driven, which a run that exits at once does not do.
     */
    static final ExchangeOptions STARTING = ExchangeOptions.defaults().limit(0);

    /**
     * The socket file of a cell's background process.
     *
     * @param dir the directory of the socket files
     * @param i the row
     * @param j the column
     * @return {@code dir/cell-i-j.sock}
     */
    static Path address(Path dir, int i, int j) {
        return dir.resolve("cell-" + i + "-" + j + ".sock");
    }

    /**
     * The memory one background process of these examples costs, rounded up: measured on Linux
     * (JDK 17, x86-64) with {@link #CELL_JVM_OPTIONS}, a cell's JVM has 43 MB resident, of which
     * about 18 MB are pages of the JDK that every JVM shares (its proportional set size is
     * 26 MB); with the JVM's defaults, 51 MB resident and 32 MB proportional. A start that would
     * need more than half the memory available is refused.
     */
    static final long CELL_RESIDENT_BYTES = 30L << 20;

    /**
     * The JVM options of the background processes when the user gave none (PPROCESS_JVM_OPTIONS
     * or pprocess.jvmOptions): a cell does a second of work and waits, so the JVM needs no
     * optimising compiler, a small heap and small thread stacks.
     */
    static final List<String> CELL_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-Xms4m", "-Xmx32m", "-Xss512k", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=48m");

    /** Starts one cell's work on a queue: the example's own way (start or manage). */
    @FunctionalInterface
    interface CellStart extends Serializable {
        /**
         * Starts the work of a cell.
         *
         * @param queue the exchange to start it on
         * @param address the cell's socket file
         * @param work the work
         * @param i the row
         * @param j the column
         */
        void start(PersistentQueue<GridWork.Result> queue, Path address, GridWork work, int i, int j);
    }

    /**
     * What starting the cells gave.
     *
     * @param pids the process ids of the background processes started
     * @param failures a line for each cell that was not started
     */
    record StartReport(List<Long> pids, List<String> failures) {
    }

    /**
     * Gives the background processes the lean JVM options unless the user chose options.
     */
    static void useCellJvmOptions() {
        if (PProcess.jvmOptions().isEmpty()) {
            PProcess.setJvmOptions(CELL_JVM_OPTIONS.toArray(String[]::new));
        }
    }

    /**
     * Refuses a start that would need more than half the memory available.
     *
     * @param name the program's name
     * @param processes how many background processes would run
     * @return whether the start may go on (else a message was printed)
     */
    static boolean fitsInMemory(String name, int processes) {
        long available = memAvailable();
        long needed = processes * CELL_RESIDENT_BYTES;
        if (available > 0 && needed > available / 2) {
            System.err.println(String.format(Locale.ROOT, "%s: %d background processes would need about %.1f GB"
                    + " (%d MB each), more than half of the %.1f GB of memory available; use a smaller --n",
                    name, processes, needed / 1e9, CELL_RESIDENT_BYTES >> 20, available / 1e9));
            return false;
        }
        return true;
    }

    /** @return MemAvailable of /proc/meminfo in bytes, or -1 where there is none */
    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** @return the socket file of the background process that starts the cells for --start */
    static Path starterAddress(Path dir) {
        return dir.resolve("starter.sock");
    }

    /**
     * For {@code --start}: hands the starting of the cells to one background process, the
     * starter (listening at {@link #starterAddress}), and returns as soon as it runs, so that
     * the run exits at once instead of waiting for a JVM start per cell. The starter starts the
     * cells a few at a time, in parallel, and keeps its {@link StartReport} for the run that
     * collects ({@link #collectStartReport}).
     *
     * @param name the program's name
     * @param options the options
     * @param start how the example starts a cell
     * @return whether the starter was started (else a message was printed)
     */
    static boolean startInBackground(String name, PersistentGridOptions options, CellStart start) {
        int cells = options.n() * options.n();
        if (!fitsInMemory(name, cells + 1)) {
            return false;
        }
        useCellJvmOptions();
        String dir = options.dir().toString();
        BackgroundProcess starter;
        try {
            starter = PProcess.startPersistent(starterAddress(options.dir()),
                    (Channel c, GridWork work, String where) -> c.send(startCells(Path.of(where), work, start)),
                    options.work(), dir);
        } catch (PProcessException e) {
            System.err.println(name + ": the cells were not started: " + e.getMessage());
            return false;
        }
        System.out.println("Starting " + cells + " background processes listening in " + options.dir()
                + " (from background process " + starter.pid() + ")");
        System.out.println("Collect the results with: " + options.reconnectCommand(name));
        return true;
    }

    /**
     * Starts every cell, from {@link #STARTING_THREADS} threads at once, each with its own
     * queue; runs in the starter.
     *
     * @param dir the directory of the socket files
     * @param work the work
     * @param start how the example starts a cell
     * @return the process ids started and the cells that were not
     */
    static StartReport startCells(Path dir, GridWork work, CellStart start) throws Exception {
        useCellJvmOptions();
        int n = work.n();
        int threads = Math.min(n * n, STARTING_THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<StartReport>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    List<int[]> mine = new ArrayList<>();
                    for (int k = first; k < n * n; k += threads) {
                        mine.add(new int[] {k / n, k % n});
                    }
                    try (PersistentQueue<GridWork.Result> queue = new PersistentQueue<>(STARTING)) {
                        for (int[] cell : mine) {
                            start.start(queue, address(dir, cell[0], cell[1]), work, cell[0], cell[1]);
                        }
                        return report(queue, mine);
                    }
                }));
            }
            List<Long> pids = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<StartReport> part : parts) {
                pids.addAll(part.get().pids());
                failures.addAll(part.get().failures());
            }
            return new StartReport(pids, failures);
        } finally {
            pool.shutdown();
        }
    }

    /** How many cells the starter starts at once: JVM starts are CPU-bound. */
    static final int STARTING_THREADS = Math.max(2, PProcess.numberOfCores());

    private static StartReport report(PersistentQueue<?> queue, List<int[]> cells) {
        List<String> failures = new ArrayList<>();
        Iterator<?> results = queue.iterator();
        for (int k = queue.available(); k > 0; k--) {
            try {
                results.next();
            } catch (PProcessException e) {
                int item = e.item().orElse(-1);
                String cell = item >= 0 && item < cells.size()
                        ? "(" + cells.get(item)[0] + ", " + cells.get(item)[1] + ")" : "?";
                failures.add("cell " + cell + " was not started: " + e.getMessage());
            }
        }
        return new StartReport(queue.active().stream().map(Channel::pid).toList(), failures);
    }

    /**
     * For {@code --reconnect} after {@code --start}: receives the starter's report, waiting
     * until every cell has been started, and prints it as a run that started them would.
     * Nothing happens when there is no starter (the cells were started otherwise, or the
     * report was collected already).
     *
     * @param name the program's name
     * @param options the options
     * @return whether every cell was started
     */
    static boolean collectStartReport(String name, PersistentGridOptions options) {
        Path address = starterAddress(options.dir());
        if (!Files.exists(address)) {
            return true;
        }
        StartReport report;
        try (Channel starter = PProcess.connectPersistent(address)) {
            report = starter.receive();
        } catch (PProcessException e) {
            System.err.println(name + ": the report of the start cannot be read: " + e.getMessage());
            return false;
        }
        for (String failure : report.failures()) {
            System.err.println(name + ": " + failure);
        }
        if (!report.pids().isEmpty()) {
            System.out.println("Started " + report.pids().size() + " background processes listening in "
                    + options.dir() + ", pids: "
                    + report.pids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
        return report.failures().isEmpty();
    }

    /**
     * Reports the jobs just started on {@code queue}, one per cell in row order: the process
     * ids of the background processes, and on standard error every cell that could not be
     * started (its address in use by a live process, say).
     *
     * @param name the program's name, prefixing error messages
     * @param options the options
     * @param queue the exchange the cells were started on and that has not been driven
     * @param hint whether to tell how to collect the results later
     * @return whether every cell was started
     */
    static boolean reportStarted(String name, PersistentGridOptions options, PersistentQueue<?> queue, boolean hint) {
        int failed = 0;
        Iterator<?> failures = queue.iterator();
        for (int k = queue.available(); k > 0; k--) {
            try {
                failures.next();
            } catch (PProcessException e) {
                int item = e.item().orElse(-1);
                System.err.println(name + ": cell (" + item / options.n() + ", " + item % options.n()
                        + ") was not started: " + e.getMessage());
                failed++;
            }
        }
        List<Channel> started = queue.active();
        if (!started.isEmpty()) {
            System.out.println("Started " + started.size() + " background processes listening in " + options.dir()
                    + ", pids: " + started.stream().map(c -> Long.toString(c.pid())).collect(Collectors.joining(" ")));
            if (hint) {
                System.out.println("Collect the results with: " + options.reconnectCommand(name));
            }
        }
        return failed == 0;
    }

    /**
     * Connects to the background process of every cell, at most {@code --limit} at once,
     * places the labelled results in the grid as they arrive, and prints the grid and the time
     * taken. Each background process ends once its result is collected, removing its socket
     * file. A cell that cannot be reached (no process at its address: never started, already
     * collected, or ended after its idle limit) or whose job failed is reported on standard
     * error and printed as {@code -}.
     *
     * @param name the program's name, prefixing error messages
     * @param options the options
     * @param startNanos when the run began, for the time taken
     * @return whether every cell was collected
     */
    static boolean collect(String name, PersistentGridOptions options, long startNanos) {
        Grid grid = new Grid(options.n());
        int missing = 0;
        ExchangeOptions collecting = ExchangeOptions.defaults().limit(options.limit());
        try (PersistentQueue<GridWork.Result> queue = new PersistentQueue<>(collecting)) {
            for (int i = 0; i < options.n(); i++) {
                for (int j = 0; j < options.n(); j++) {
                    queue.awaitCapacity();
                    try {
                        queue.connect(address(options.dir(), i, j));
                    } catch (PProcessException e) {
                        System.err.println(name + ": cell (" + i + ", " + j + ") cannot be collected: " + e.getMessage());
                        missing++;
                    }
                }
            }
            Iterator<GridWork.Result> results = queue.iterator();
            while (results.hasNext()) {
                try {
                    grid.put(results.next());
                } catch (PProcessException e) {
                    System.err.println(name + ": a cell failed: " + e.getMessage());
                    missing++;
                }
            }
        }
        grid.print();
        Grid.printTimeTaken(startNanos);
        return missing == 0;
    }
}
