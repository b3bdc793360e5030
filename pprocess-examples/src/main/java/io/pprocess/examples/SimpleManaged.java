package io.pprocess.examples;

import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import java.util.function.BiConsumer;

/**
 * Parallel with a managed callable and a plain {@link Exchange}: the exchange's store handler
 * places each labelled result in the grid; {@link Exchange#finish()} waits for the last one.
 *
 * <p>Features: MakeParallel, manage, Exchange. Run: {@code bin/pprocess-example simple_managed [--n 10] [--delay 1] [--limit 10]}
 */
public final class SimpleManaged {

    private SimpleManaged() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_managed", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        ExchangeOptions limited = ExchangeOptions.defaults().limit(options.limit());
        try (Exchange exchange = new Exchange(limited, channel -> grid.put(channel.<GridWork.Result>receive()))) {
            BiConsumer<Integer, Integer> calculate =
                    exchange.manage(PProcess.parallel((Integer i, Integer j) -> work.result(i, j)));
            for (int i = 0; i < work.n(); i++) {
                for (int j = 0; j < work.n(); j++) {
                    calculate.accept(i, j);
                }
            }
            exchange.finish();
        }
        grid.print();
        Grid.printTimeTaken(start);
    }
}
