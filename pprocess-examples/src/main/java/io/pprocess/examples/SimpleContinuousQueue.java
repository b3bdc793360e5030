package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.ExchangeOptions;
import io.pprocess.QueueExchange;

/**
 * Continuous communication: one child per row, each sending N results over time, one per cell
 * as it is computed. With {@code continuous(true)} a child's first result does not end its
 * job; the queue yields every result as it arrives.
 *
 * <p>Run: {@code bin/pprocess-example simple_continuous_queue [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleContinuousQueue {

    private SimpleContinuousQueue() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_continuous_queue", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        ChannelTask1<Integer> calculateRow = (Channel channel, Integer i) -> {
            for (int j = 0; j < work.n(); j++) {
                channel.send(work.result(i, j));
            }
        };
        Grid grid = new Grid(work.n());
        ExchangeOptions continuous = ExchangeOptions.defaults().limit(options.limit()).continuous(true);
        try (QueueExchange<GridWork.Result> queue = new QueueExchange<>(continuous)) {
            for (int i = 0; i < work.n(); i++) {
                queue.start(calculateRow, i);
            }
            for (GridWork.Result result : queue) {
                grid.put(result);
            }
        }
        grid.print();
        Grid.printTimeTaken(start);
    }
}
