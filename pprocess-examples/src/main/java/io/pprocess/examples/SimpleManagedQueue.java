package io.pprocess.examples;

import io.pprocess.PProcess;
import io.pprocess.QueueExchange;
import java.util.function.BiConsumer;

/**
 * Parallel with a managed callable and a queue: each call of the managed callable starts the
 * function in a child process; results, labelled with their cell, are taken from the queue as
 * they arrive.
 *
 * <p>Features: MakeParallel, manage, Queue. Run: {@code bin/pprocess-example simple_managed_queue [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleManagedQueue {

    private SimpleManagedQueue() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_managed_queue", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        try (QueueExchange<GridWork.Result> queue = new QueueExchange<>(options.limit())) {
            BiConsumer<Integer, Integer> calculate =
                    queue.manage(PProcess.parallel((Integer i, Integer j) -> work.result(i, j)));
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    calculate.accept(i, j);
                }
            }
            for (GridWork.Result result : queue) {
                grid.put(result);
            }
        }
        grid.print();
        Grid.printTimeTaken(start);
    }
}
