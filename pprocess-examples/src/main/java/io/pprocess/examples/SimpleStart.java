package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.ChannelTask2;
import io.pprocess.Exchange;

/**
 * The most hands-on parallel program: a calculation written for the parallel environment
 * (it takes its channel and sends its labelled result itself), started once per cell with
 * {@link Exchange#start}, and an {@link Exchange} subclass whose {@link Exchange#storeData}
 * receives each result and places it in the grid.
 *
 * <p>Features: start, Exchange. Run: {@code bin/pprocess-example simple_start [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleStart {

    private SimpleStart() {
    }

    /** An exchange that stores each result it receives in a grid. */
    static final class GridExchange extends Exchange {
        private final Grid grid;

        GridExchange(int limit, Grid grid) {
            super(limit);
            this.grid = grid;
        }

        @Override
        protected void storeData(Channel channel) {
            GridWork.Result result = channel.receive();
            grid.put(result);
        }
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_start", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        ChannelTask2<Integer, Integer> calculate = (Channel channel, Integer i, Integer j) ->
                channel.send(work.result(i, j));
        Grid grid = new Grid(work.n());
        try (GridExchange exchange = new GridExchange(options.limit(), grid)) {
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    exchange.start(calculate, i, j);
                }
            }
            exchange.finish();
        }
        grid.print();
        Grid.printTimeTaken(start);
    }
}
