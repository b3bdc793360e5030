package io.pprocess.examples;

import picocli.CommandLine.Option;

/** The options of the loop tests {@code create_loop} and {@code start_loop}. */
public final class LoopOptions implements Cli.Checked {

    @Option(names = "--limit", paramLabel = "N",
            description = "the parent sends 0 .. N; the child prints the values below N (default: ${DEFAULT-VALUE})")
    int limit = 100;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /**
     * Parses the options of a loop program; exits on a usage error.
     *
     * @param name the program's name
     * @param args the command-line arguments
     * @return the options
     */
    public static LoopOptions parse(String name, String[] args) {
        return Cli.parse(name, new LoopOptions(), args);
    }

    @Override
    public void check() {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative: " + limit);
        }
    }

    /** @return the value that ends the loop */
    public int limit() {
        return limit;
    }
}
