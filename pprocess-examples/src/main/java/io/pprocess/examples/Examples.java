package io.pprocess.examples;

import io.pprocess.examples.raytrace.Raytrace;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an example program by its original pprocess name.
 *
 * <pre>
 * Examples                   lists the examples with a line about each
 * Examples NAME [options]    runs one; NAME --help shows its options
 * </pre>
 *
 * <p>An unknown name is a usage error: it is reported on standard error and the exit status
 * is {@value Cli#USAGE_ERROR}.
 */
public final class Examples {

    /** The entry point of an example program. */
    @FunctionalInterface
    interface Program {
        void main(String[] args) throws Exception;
    }

    private record Entry(String description, Program program) {
    }

    private static final Map<String, Entry> PROGRAMS = new LinkedHashMap<>();

    static {
        add("raytrace", "renders the ray-traced scene row by row in this process and writes test.tif", Raytrace::main);
    }

    private Examples() {
    }

    private static void add(String name, String description, Program program) {
        PROGRAMS.put(name, new Entry(description, program));
    }

    /**
     * Runs the example named by the first argument with the remaining arguments, or lists the
     * examples when there is none.
     *
     * @param args the example's name, then its options
     * @throws Exception whatever the example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            list(System.out);
            return;
        }
        Entry entry = PROGRAMS.get(args[0]);
        if (entry == null) {
            System.err.println("pprocess-example: unknown example '" + args[0]
                    + "'; run without arguments to list the examples");
            System.exit(Cli.USAGE_ERROR);
        }
        entry.program().main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void list(PrintStream out) {
        out.println("Usage: pprocess-example NAME [options]   (NAME --help shows the options)");
        out.println();
        int width = PROGRAMS.keySet().stream().mapToInt(String::length).max().orElse(0);
        PROGRAMS.forEach((name, entry) -> out.printf("  %-" + width + "s  %s%n", name, entry.description()));
    }
}
