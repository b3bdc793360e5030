package io.pprocess.examples;

import io.pprocess.ChannelTask2;
import io.pprocess.PProcess;
import io.pprocess.QueueExchange;

/**
 * Parallel with {@link QueueExchange#start}: the function made parallel-aware with
 * {@link PProcess#parallel} is started once per cell with the cell as its arguments; starts
 * beyond the limit are queued rather than blocking, and results are taken as they arrive.
 *
 * <p>Features: MakeParallel, start, Queue. Run: {@code bin/pprocess-example simple_start_queue [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleStartQueue {

    private SimpleStartQueue() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_start_queue", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        ChannelTask2<Integer, Integer> calculate = PProcess.parallel((Integer i, Integer j) -> work.result(i, j));
        try (QueueExchange<GridWork.Result> queue = new QueueExchange<>(options.limit())) {
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    queue.start(calculate, i, j);
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
