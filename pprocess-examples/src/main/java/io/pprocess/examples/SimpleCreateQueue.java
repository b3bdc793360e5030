package io.pprocess.examples;

import io.pprocess.PProcess;
import io.pprocess.QueueExchange;

/**
 * Parallel, fork style, with a queue: each child created with {@link QueueExchange#create}
 * sends its value labelled with its cell; the queue yields the results in the order they
 * arrive, and the parent places each in the grid.
 *
 * <p>Features: create, Queue. Run: {@code bin/pprocess-example simple_create_queue [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleCreateQueue {

    private SimpleCreateQueue() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_create_queue", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        try (QueueExchange<GridWork.Result> queue = new QueueExchange<>(options.limit())) {
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    int row = i;
                    int column = j;
                    queue.create(child -> {
                        child.send(work.result(row, column));
                        PProcess.exit(child);
                    });
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
