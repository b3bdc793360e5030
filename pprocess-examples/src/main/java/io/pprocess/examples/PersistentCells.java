package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcessException;
import io.pprocess.PersistentQueue;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
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
