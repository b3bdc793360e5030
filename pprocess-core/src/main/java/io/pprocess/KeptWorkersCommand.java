package io.pprocess;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code pprocess-workers} command: lists or ends this user's kept workers (see
 * {@link PProcess#keepWorkers}), of every build. {@code bin/pprocess-workers} runs it as
 * {@code java -cp <pprocess-core> io.pprocess.KeptWorkersCommand [--list | --stop | --help]}.
 *
 * <ul>
 *   <li>{@code --list} (the default) prints one line per worker — pid, {@code busy} or
 *       {@code idle, ends in …}, jobs served, build, description — then
 *       {@code N kept worker(s) in DIR} ({@link PProcess#keptWorkers()},
 *       {@link PProcess#keptWorkersBaseDirectory()}).
 *   <li>{@code --stop} ends them ({@link PProcess#stopKeptWorkers()}: an idle one at once, a busy
 *       one when its current job is done), one line per worker, then
 *       {@code N kept worker(s) told to end}.
 *   <li>{@code --help} prints the usage.
 * </ul>
 *
 * <p>Exit status: {@value #EXIT_OK} on success, {@value #EXIT_USAGE} on a usage error (the usage
 * on standard error).
 */
public final class KeptWorkersCommand {
    /** The exit status of a run that did what it was asked. */
    public static final int EXIT_OK = 0;
    /** The exit status of a run given arguments it does not take. */
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = "usage: pprocess-workers [--list | --stop]";

    private KeptWorkersCommand() {
    }

    /**
     * Runs the command and exits with its status when it is not {@value #EXIT_OK}.
     *
     * @param args {@code --list}, {@code --stop} or {@code --help}; none means {@code --list}
     */
    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        if (status != EXIT_OK) {
            System.exit(status);
        }
    }

    /**
     * Runs the command.
     *
     * @param args the arguments
     * @param out where the listing goes
     * @param err where a usage error goes
     * @return the exit status
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        String mode = args.isEmpty() ? "--list" : args.get(0);
        if (args.size() > 1 || !List.of("--list", "--stop", "--help").contains(mode)) {
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (mode.equals("--help")) {
            out.println(USAGE);
            out.println("Lists (--list, the default) or ends (--stop) the pprocess workers kept running for");
            out.println("later programs of the same build, in " + PProcess.keptWorkersBaseDirectory() + ".");
            return EXIT_OK;
        }
        if (mode.equals("--stop")) {
            List<KeptWorker> stopped = PProcess.stopKeptWorkers();
            for (KeptWorker w : stopped) {
                out.println("pid " + w.pid() + (w.busy() ? ": ends when its current job is done" : ": ended"));
            }
            out.println(stopped.size() + " kept worker" + (stopped.size() == 1 ? "" : "s") + " told to end");
            return EXIT_OK;
        }
        Instant now = Instant.now();
        List<KeptWorker> workers = PProcess.keptWorkers();
        for (KeptWorker w : workers) {
            out.println("pid " + w.pid() + "  " + (w.busy() ? "busy" : "idle, ends in " + human(w.remaining(now)))
                    + "  jobs " + w.jobs() + "  build " + w.address().getParent().getFileName() + "  " + w.description());
        }
        out.println(workers.size() + " kept worker" + (workers.size() == 1 ? "" : "s") + " in "
                + PProcess.keptWorkersBaseDirectory());
        return EXIT_OK;
    }

    /**
     * Writes a duration as a person reads it: {@code 4 min 30 s}, {@code 12 s}, {@code 1 h 5 min}.
     *
     * @param d the duration
     * @return the text
     */
    static String human(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s >= 3600) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        if (s >= 60) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return s + " s";
    }
}
