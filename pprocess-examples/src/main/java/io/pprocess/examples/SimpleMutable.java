package io.pprocess.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sequential: a function fills in a list it is given, and the caller sees the change. Compare
 * {@link SimpleMutableQueue}, where the same idea fails because child processes change only
 * their own copies.
 *
 * <p>Run: {@code bin/pprocess-example simple_mutable [--n 10] [--delay 1]}
 */
public final class SimpleMutable {

    private SimpleMutable() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple_mutable", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        List<Integer> results = new ArrayList<>(Collections.nCopies(work.n() * work.n(), 0));
        for (int i = 0; i < work.n(); i++) {
            for (int j = 0; j < work.n(); j++) {
                calculate(work, results, i, j);
            }
        }

        System.out.println("The list after the computation:");
        Grid.of(work.n(), results).print();
        Grid.printTimeTaken(start);
    }

    /** Stores the value of cell {@code (i, j)} in {@code results}: a change made in place. */
    static void calculate(GridWork work, List<Integer> results, int i, int j) {
        results.set(i * work.n() + j, work.calculate(i, j));
    }
}
