package io.pprocess.examples;

import io.pprocess.BackgroundCallable;
import io.pprocess.BackgroundProcess;
import io.pprocess.BackgroundQueue;
import io.pprocess.Channel;
import io.pprocess.ChannelTask2;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.QueueExchange;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The whole computation in the background: calling a {@link BackgroundCallable} starts one
 * background process, listening at {@code grid.sock} in {@code --dir}, that computes the grid
 * itself (a {@link QueueExchange} of child processes, at most {@code --limit} at once) and
 * sends each labelled result as it arrives; a {@link BackgroundQueue} on the same address
 * collects them, in this run or a later one.
 *
 * <p>{@code --start} starts the background process, prints its process id and the command that
 * collects the results, and exits at once; the computation goes on, each result waiting in the
 * background process until a collector takes it. {@code --reconnect} collects the results,
 * prints the grid and the time taken, after which the background process has ended and its
 * socket file is gone; with neither, one run does both. A background process that nobody
 * collects from ends after an hour without a peer.
 *
 * <p>Features: BackgroundCallable, BackgroundQueue, MakeParallel, start, Queue. Run:
 * {@code bin/pprocess-example simple_background_queue --start [--n 10] [--delay 1] [--limit 10] [--dir DIR]},
 * then {@code bin/pprocess-example simple_background_queue --reconnect [--n 10] [--dir DIR]}
 */
public final class SimpleBackgroundQueue {

    private static final String NAME = "simple_background_queue";

    private SimpleBackgroundQueue() {
    }

    /**
     * Runs the program; exits with status 1 if the work could not be started or collected.
     *
     * @param args the options, see {@link PersistentGridOptions}
     */
    public static void main(String[] args) {
        PersistentGridOptions options = PersistentGridOptions.parse(NAME, args);
        Path address = options.dir().resolve("grid.sock");
        long start = System.nanoTime();

        if (options.starts()) {
            GridWork work = options.work();
            BackgroundCallable<Integer> calculateGrid = new BackgroundCallable<>(address,
                    (Channel channel, Integer limit) -> calculateGrid(channel, work, limit));
            BackgroundProcess process;
            try {
                process = calculateGrid.call(options.limit());
            } catch (PProcessException e) {
                System.err.println(NAME + ": the work was not started: " + e.getMessage());
                System.exit(1);
                return;
            }
            System.out.println("Started a background process listening at " + address + ", pid: " + process.pid());
            if (!options.collects()) {
                System.out.println("Collect the results with: " + options.reconnectCommand(NAME));
            }
        }
        if (options.collects() && !collect(options, address, start)) {
            System.exit(1);
        }
    }

    /**
     * The task of the background process: computes every cell in child processes under the
     * limit and sends each result on as it arrives. A send waits for a collector to take the
     * result, so the computation runs in a thread of its own and goes on while nobody is
     * connected; its results wait here. A failed cell fails the task, which the collector
     * learns.
     */
    private static void calculateGrid(Channel channel, GridWork work, int limit) throws InterruptedException {
        BlockingQueue<Object> computed = new LinkedBlockingQueue<>();
        Thread computation = new Thread(() -> {
            ChannelTask2<Integer, Integer> calculate = PProcess.parallel((Integer i, Integer j) -> work.result(i, j));
            try (QueueExchange<GridWork.Result> queue = new QueueExchange<>(limit)) {
                for (int i = 0; i < work.n(); i++) {
                    for (int j = 0; j < work.n(); j++) {
                        queue.start(calculate, i, j);
                    }
                }
                for (GridWork.Result result : queue) {
                    computed.add(result);
                }
            } catch (RuntimeException e) {
                computed.add(e);
            }
        }, "grid computation");
        computation.start();
        for (int k = 0; k < work.n() * work.n(); k++) {
            Object next = computed.take();
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            channel.send(next);
        }
        computation.join();
    }

    /**
     * Takes every result from the background process at {@code address}, then prints the grid
     * and the time taken; problems go to standard error.
     *
     * @return whether every result was received and placed
     */
    private static boolean collect(PersistentGridOptions options, Path address, long startNanos) {
        Grid grid = new Grid(options.n());
        boolean complete = true;
        try (BackgroundQueue<GridWork.Result> queue = new BackgroundQueue<>(address)) {
            Iterator<GridWork.Result> results = queue.iterator();
            while (results.hasNext()) {
                try {
                    grid.put(results.next());
                } catch (IndexOutOfBoundsException e) {
                    System.err.println(NAME + ": " + e.getMessage() + " (was the work started with another --n?)");
                    complete = false;
                }
            }
        } catch (PProcessException e) {
            System.err.println(NAME + ": the work cannot be collected: " + e.getMessage());
            complete = false;
        }
        grid.print();
        Grid.printTimeTaken(startNanos);
        return complete;
    }
}
