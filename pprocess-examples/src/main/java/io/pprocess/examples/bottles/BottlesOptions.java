package io.pprocess.examples.bottles;

import io.pprocess.examples.Cli;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** The options of {@code bottles} and {@code bottles_heartbeat}. */
public final class BottlesOptions implements Cli.Checked {

    @Option(names = "--bottles", paramLabel = "N", description = "the song starts at N bottles (default: ${DEFAULT-VALUE})")
    int bottles = 99;

    @Option(names = "--files", paramLabel = "N", description = "the song is spread over N files (default: ${DEFAULT-VALUE})")
    int files = 3;

    @Option(names = "--delay", paramLabel = "SECONDS",
            description = "pause between lines written to the files (default: ${DEFAULT-VALUE})")
    double delay = 0.02;

    @Option(names = "--pattern", paramLabel = "REGEX",
            description = "a pattern to grep for, one child each; repeatable (default: \"no more\" and \"\\b1 bottle\\b\")")
    List<String> patterns = new ArrayList<>();

    @Option(names = "--heartbeat", paramLabel = "SECONDS",
            description = "bottles_heartbeat only: time between heartbeats (default: ${DEFAULT-VALUE})")
    double heartbeat = 0.5;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    /**
     * Parses the options; exits on a usage error.
     *
     * @param name the program's name
     * @param args the command-line arguments
     * @return the options
     */
    public static BottlesOptions parse(String name, String[] args) {
        return Cli.parse(name, new BottlesOptions(), args);
    }

    @Override
    public void check() {
        if (bottles < 1) {
            throw new IllegalArgumentException("--bottles must be at least 1: " + bottles);
        }
        if (files < 1 || files > 100) {
            throw new IllegalArgumentException("--files must be between 1 and 100: " + files);
        }
        if (!(delay >= 0) || delay > 60) {
            throw new IllegalArgumentException("--delay must be between 0 and 60 seconds: " + delay);
        }
        if (!(heartbeat > 0) || heartbeat > 3600) {
            throw new IllegalArgumentException("--heartbeat must be more than 0 and at most 3600 seconds: " + heartbeat);
        }
        if (patterns.isEmpty()) {
            patterns = List.of("no more", "\\b1 bottle\\b");
        }
        for (String p : patterns) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--pattern is not a valid regular expression: " + p, e);
            }
        }
    }
}
