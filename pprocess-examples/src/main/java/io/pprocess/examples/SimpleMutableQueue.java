package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.ChannelTask2;
import io.pprocess.QueueExchange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parallel version of {@link SimpleMutable}, and why it does not work: each child gets a
 * <em>copy</em> of the list, fills in its cell there and reports that it is done, but the
 * parent's list is never changed, so the parent prints a grid of zeros. Results must be sent
 * back over the channel, as the other examples do.
 *
 * <p>Run: {@code bin/pprocess-example simple_mutable_queue [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleMutableQueue {

    private SimpleMutableQueue() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_mutable_queue", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        List<Integer> results = new ArrayList<>(Collections.nCopies(work.n() * work.n(), 0));
        ChannelTask2<Integer, Integer> calculate = (Channel channel, Integer i, Integer j) -> {
            SimpleMutable.calculate(work, results, i, j);  // changes the child's copy only
            channel.send(new GridWork.Cell(i, j));
        };
        int done = 0;
        try (QueueExchange<GridWork.Cell> queue = new QueueExchange<>(options.limit())) {
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    queue.start(calculate, i, j);
                }
            }
            for (GridWork.Cell ignored : queue) {
                done++;
            }
        }

        System.out.println(done + " children changed their copies; the parent's list after the computation:");
        Grid.of(work.n(), results).print();
        Grid.printTimeTaken(start);
    }
}
