package io.pprocess.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The N × N table of results that the grid examples fill and print. A cell that received no
 * value prints as {@code -}.
 */
public final class Grid {

    private final int n;
    private final Integer[] cells;

    /**
     * Creates an empty grid.
     *
     * @param n the side
     */
    public Grid(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        this.n = n;
        this.cells = new Integer[n * n];
    }

    /**
     * Creates a grid from values in row order.
     *
     * @param n the side
     * @param values {@code n * n} values, row by row
     * @return the grid
     * @throws IllegalArgumentException if there are not {@code n * n} values
     */
    public static Grid of(int n, List<Integer> values) {
        Grid grid = new Grid(n);
        if (values.size() != n * n) {
            throw new IllegalArgumentException("a " + n + " x " + n + " grid needs " + n * n + " values, not " + values.size());
        }
        for (int k = 0; k < values.size(); k++) {
            grid.cells[k] = values.get(k);
        }
        return grid;
    }

    /**
     * Sets one cell.
     *
     * @param i the row
     * @param j the column
     * @param value the value
     * @throws IndexOutOfBoundsException if the cell is outside the grid
     */
    public void put(int i, int j, int value) {
        if (i < 0 || i >= n || j < 0 || j >= n) {
            throw new IndexOutOfBoundsException("cell (" + i + ", " + j + ") is outside the " + n + " x " + n + " grid");
        }
        cells[i * n + j] = value;
    }

    /**
     * Sets the cell a result belongs to.
     *
     * @param result the result
     */
    public void put(GridWork.Result result) {
        put(result.i(), result.j(), result.value());
    }

    /**
     * Prints the grid, one line per row, the values separated by spaces.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        for (int i = 0; i < n; i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < n; j++) {
                if (j > 0) {
                    line.append(' ');
                }
                Integer v = cells[i * n + j];
                line.append(v == null ? "-" : v.toString());
            }
            out.println(line);
        }
    }

    /** Prints the grid on standard output. */
    public void print() {
        print(System.out);
    }

    /**
     * Prints one row of values on standard output, separated by spaces, as {@link #print} does.
     *
     * @param values the row
     */
    public static void printRow(List<?> values) {
        StringBuilder line = new StringBuilder();
        for (Object v : values) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(v);
        }
        System.out.println(line);
    }

    /**
     * Prints the time since {@code startNanos} as the examples report it.
     *
     * @param startNanos a {@link System#nanoTime()} reading
     */
    public static void printTimeTaken(long startNanos) {
        System.out.printf("Time taken: %.3f s%n", (System.nanoTime() - startNanos) / 1e9);
    }

    @Override
    public String toString() {
        return "Grid" + Arrays.toString(cells);
    }
}
