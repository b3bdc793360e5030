package io.pprocess.examples;

/**
 * The sequential baseline of the programs whose results come back labelled with their cell
 * ({@code simple_start}, {@code simple_create}, the queues): each computation returns an
 * {@code (i, j, value)} result that a separate step stores in the grid.
 *
 * <p>Run: {@code bin/pprocess-example simple2 [--n 10] [--delay 1]}
 */
public final class Simple2 {

    private Simple2() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link GridOptions}
     */
    public static void main(String[] args) {
        GridOptions options = GridOptions.parse("simple2", args);
        GridWork work = options.work();
        long start = System.nanoTime();

        Grid grid = new Grid(work.n());
        for (int i = 0; i < work.n(); i++) {
            for (int j = 0; j < work.n(); j++) {
                GridWork.Result result = work.result(i, j);
                grid.put(result);
            }
        }

        grid.print();
        Grid.printTimeTaken(start);
    }
}
