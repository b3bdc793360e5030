package io.pprocess.examples;

import picocli.CommandLine.Option;

/**
 * The options of the grid examples: the size of the grid, the simulated work per cell and the
 * number of child processes (which the sequential programs ignore). The defaults are those of
 * the original programs.
 */
public final class GridOptions implements Cli.Checked {

    @Option(names = "--n", paramLabel = "N", description = "the grid is N x N cells (default: ${DEFAULT-VALUE})")
    int n = 10;

    @Option(names = "--delay", paramLabel = "SECONDS",
            description = "seconds of simulated work per cell (default: ${DEFAULT-VALUE})")
    double delay = 1.0;

    @Option(names = "--limit", paramLabel = "N",
            description = "the most child processes at once (default: ${DEFAULT-VALUE})")
    int limit = 10;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /**
     * Parses the options of a grid example; exits on a usage error.
     *
     * @param name the program's name
     * @param args the command-line arguments
     * @return the options
     */
    public static GridOptions parse(String name, String[] args) {
        return Cli.parse(name, new GridOptions(), args);
    }

    @Override
    public void check() {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1: " + n);
        }
        if (n > 1000) {
            throw new IllegalArgumentException("--n must be at most 1000: " + n);
        }
        if (!(delay >= 0) || delay > 3600) {
            throw new IllegalArgumentException("--delay must be between 0 and 3600 seconds: " + delay);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1: " + limit);
        }
    }

    /** @return the grid's side */
    public int n() {
        return n;
    }

    /** @return the most child processes at once */
    public int limit() {
        return limit;
    }

    /** @return the work of one cell, to be copied into child processes */
    public GridWork work() {
        return new GridWork(n, Math.round(delay * 1e9));
    }
}
