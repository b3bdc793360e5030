package io.pprocess.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The computation every grid example performs: for each cell {@code (i, j)} of an N × N grid,
 * {@code i * N + j}, after a pause standing in for heavy work. It is plain data, so tasks can
 * capture it and take it into child processes.
 *
 * @param n the grid's side
 * @param delayNanos the pause per cell, in nanoseconds
 */
public record GridWork(int n, long delayNanos) {

    /**
     * Checks the arguments.
     *
     * @param n the grid's side
     * @param delayNanos the pause per cell, in nanoseconds
     * @throws IllegalArgumentException if {@code n < 1} or {@code delayNanos < 0}
     */
    public GridWork {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must not be negative: " + delayNanos);
        }
    }

    /**
     * One cell of the grid.
     *
     * @param i the row
     * @param j the column
     */
    public record Cell(int i, int j) {
    }

    /**
     * A computed cell, for programs that receive results in any order and place them.
     *
     * @param i the row
     * @param j the column
     * @param value the value computed for the cell
     */
    public record Result(int i, int j, int value) {
    }

    /**
     * Computes one cell: waits for the delay, then returns {@code i * n + j}.
     *
     * @param i the row
     * @param j the column
     * @return {@code i * n + j}
     * @throws IllegalStateException if the thread is interrupted while waiting (the interrupt
     *     status is kept)
     */
    public int calculate(int i, int j) {
        try {
            TimeUnit.NANOSECONDS.sleep(delayNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing cell (" + i + ", " + j + ")", e);
        }
        return i * n + j;
    }

    /**
     * Computes one cell, as {@link #calculate(int, int)}.
     *
     * @param cell the cell
     * @return its value
     */
    public int calculate(Cell cell) {
        return calculate(cell.i(), cell.j());
    }

    /**
     * Computes one cell and labels the value with its place.
     *
     * @param i the row
     * @param j the column
     * @return the result
     */
    public Result result(int i, int j) {
        return new Result(i, j, calculate(i, j));
    }

    /** @return every cell, row by row */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>(n * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cells.add(new Cell(i, j));
            }
        }
        return cells;
    }
}
