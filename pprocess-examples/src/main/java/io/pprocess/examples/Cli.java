package io.pprocess.examples;

import picocli.CommandLine;

/** Parses the options of an example program with picocli. */
public final class Cli {

    /** The exit status for a usage error: an unknown name, option or bad value. */
    public static final int USAGE_ERROR = 2;

    private Cli() {
    }

    /** Options that check their values together after parsing. */
    public interface Checked {
        /**
         * Checks the parsed values.
         *
         * @throws IllegalArgumentException naming the option and the bad value
         */
        void check();
    }

    /**
     * Fills {@code options} (a class with picocli {@code @Option} fields) from {@code args}.
     * Options that implement {@link Checked} are then checked. On a usage error prints the problem and the usage to standard error and exits with
     * status {@value #USAGE_ERROR}; with {@code --help} prints the usage and exits with 0.
     *
     * @param <T> the options type
     * @param name the program's name, shown in the usage
     * @param options the options object, holding the defaults
     * @param args the command-line arguments
     * @return {@code options}, filled
     */
    public static <T> T parse(String name, T options, String[] args) {
        CommandLine cli = new CommandLine(options).setCommandName(name);
        try {
            CommandLine.ParseResult result = cli.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                cli.usage(System.out);
                System.exit(0);
            }
            if (options instanceof Checked checked) {
                checked.check();
            }
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            cli.usage(System.err);
            System.exit(USAGE_ERROR);
        }
        return options;
    }
}
