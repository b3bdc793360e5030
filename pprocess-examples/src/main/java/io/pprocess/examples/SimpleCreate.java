package io.pprocess.examples;

import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;

/**
 * Parallel, fork style, with a plain {@link Exchange}: children created with
 * {@link Exchange#create} send labelled results; the exchange's store handler receives each
 * one and places it in the grid; {@link Exchange#finish()} waits until every child is done.
 *
 * <p>Features: create, Exchange. Run: {@code bin/pprocess-example simple_create [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleCreate {

    private SimpleCreate() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_create", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        ExchangeOptions limited = ExchangeOptions.defaults().limit(options.limit());
        try (Exchange exchange = new Exchange(limited, channel -> grid.put(channel.<GridWork.Result>receive()))) {
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    int row = i;
                    int column = j;
                    exchange.create(child -> {
                        child.send(work.result(row, column));
                        PProcess.exit(child);
                    });
                }
            }
            exchange.finish();
        }
        grid.print();
        Grid.printTimeTaken(start);
    }
}
