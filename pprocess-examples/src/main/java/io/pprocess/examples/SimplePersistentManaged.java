package io.pprocess.examples;

import io.pprocess.ChannelTask2;
import io.pprocess.PProcess;
import io.pprocess.PersistentQueue;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Persistent with managed callables: for each cell,
 * {@link PersistentQueue#manage(java.nio.file.Path, ChannelTask2)} gives a callable bound to the
 * cell's socket file ({@code cell-i-j.sock} in {@code --dir}); calling it starts the function,
 * made parallel-aware with {@link PProcess#parallel}, in a background process listening there.
 * A later run connects to every address and collects the labelled results as they arrive.
 *
 * <p>{@code --start} hands the starting to one background process of its own (the starter,
 * {@code starter.sock} in {@code --dir}), prints the command that collects the results, and
 * exits at once (in about a second, whatever the grid: one JVM start instead of one per cell);
 * the starter starts the cells a few at a time, in parallel. {@code --reconnect} first reads the
 * starter's report (waiting, if need be, until every cell is started) and prints the process
 * ids, then collects the results, prints the grid and the time taken, after which the
 * background processes have ended and their socket files are gone; with neither, one run does
 * both.
 *
 * <p>Memory: each cell is a JVM of its own: 43 MB resident, 26 MB of it its own (the rest are
 * the JDK's pages that all JVMs share), with the lean options these examples give their
 * background processes unless PPROCESS_JVM_OPTIONS says otherwise
 * ({@link PersistentCells#CELL_JVM_OPTIONS}: C1 only, a 32 MB heap; 51 MB and 32 MB with the
 * JVM's defaults); the default 10 x 10 grid needs about 2.6 GB. A start that would need more
 * than half the memory available is refused.
 *
 * <p>Every cell is started at once, whatever {@code --limit} says: a persistent job keeps its
 * place in the exchange until its result is collected, and jobs queued beyond a limit are only
 * started while the exchange is driven, which a run that exits at once does not do. The limit
 * bounds how many background processes the collecting run is connected to at once. A
 * background process that nobody collects from ends after an hour without a peer.
 *
 * <p>Features: MakeParallel, PersistentQueue, manage with an address, connect. Run:
 * {@code bin/pprocess-example simple_persistent_managed --start [--n 10] [--delay 1] [--dir DIR]}, then
 * {@code bin/pprocess-example simple_persistent_managed --reconnect [--n 10] [--limit 10] [--dir DIR]}
 */
public final class SimplePersistentManaged {

    private static final String NAME = "simple_persistent_managed";

    private SimplePersistentManaged() {
    }

    /**
     * Runs the program; exits with status 1 if a cell could not be started or collected.
     *
     * @param args the options, see {@link PersistentGridOptions}
     */
    public static void main(String[] args) {
        PersistentGridOptions options = PersistentGridOptions.parse(NAME, args);
        GridWork work = options.work();
        long start = System.nanoTime();

        if (options.starts() && !options.collects()) {
            if (!PersistentCells.startInBackground(NAME, options, SimplePersistentManaged::startCell)) {
                System.exit(1);
            }
            return;
        }
        if (!options.starts() && !PersistentCells.collectStartReport(NAME, options)) {
            System.exit(1);
        }
        if (options.starts()) {
            if (!PersistentCells.fitsInMemory(NAME, work.n() * work.n())) {
                System.exit(1);
            }
            PersistentCells.useCellJvmOptions();
            ChannelTask2<Integer, Integer> calculate = PProcess.parallel((Integer i, Integer j) -> work.result(i, j));
            boolean started;
            try (PersistentQueue<GridWork.Result> queue = new PersistentQueue<>(PersistentCells.STARTING)) {
                for (int i = 0; i < work.n(); i++) {
                    for (int j = 0; j < work.n(); j++) {
                        BiConsumer<Integer, Integer> calculateCell =
                                queue.manage(PersistentCells.address(options.dir(), i, j), calculate);
                        calculateCell.accept(i, j);
                    }
                }
                started = PersistentCells.reportStarted(NAME, options, queue, !options.collects());
            }
            if (!started) {
                System.exit(1);
            }
        }
        if (options.collects() && !PersistentCells.collect(NAME, options, start)) {
            System.exit(1);
        }
    }

    /** Starts one cell: the callable managed at its address, called with the cell. */
    static void startCell(PersistentQueue<GridWork.Result> queue, Path address, GridWork work, int i, int j) {
        ChannelTask2<Integer, Integer> calculate = PProcess.parallel((Integer a, Integer b) -> work.result(a, b));
        BiConsumer<Integer, Integer> calculateCell = queue.manage(address, calculate);
        calculateCell.accept(i, j);
    }
}
