package io.pprocess.internal.keep;

import io.pprocess.KeptWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Lists or ends this user's kept workers, of every build: {@code bin/pprocess-workers} runs it.
 * {@code --list} (the default) prints one line per worker; {@code --stop} ends them (a busy one
 * when its job is done). Exits 0, or 2 on a usage error.
 */
public final class KeptWorkersCommand {
    private KeptWorkersCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args {@code --list}, {@code --stop} or {@code --help}
     */
    public static void main(String[] args) {
        String mode = args.length == 0 ? "--list" : args[0];
        if (args.length > 1 || !List.of("--list", "--stop", "--help").contains(mode)) {
            System.err.println("usage: pprocess-workers [--list | --stop]");
            System.exit(2);
            return;
        }
        if (mode.equals("--help")) {
            System.out.println("usage: pprocess-workers [--list | --stop]");
            System.out.println("Lists (--list, the default) or ends (--stop) the pprocess workers kept running for");
            System.out.println("later programs of the same build, in " + KeptWorkers.base() + ".");
            return;
        }
        Instant now = Instant.now();
        if (mode.equals("--stop")) {
            List<KeptWorker> stopped = KeptWorkers.stop();
            for (KeptWorker w : stopped) {
                System.out.println("pid " + w.pid() + (w.busy() ? ": ends when its current job is done" : ": ended"));
            }
            System.out.println(stopped.size() + " kept worker" + (stopped.size() == 1 ? "" : "s") + " told to end");
            return;
        }
        List<KeptWorker> workers = KeptWorkers.list();
        for (KeptWorker w : workers) {
            System.out.println("pid " + w.pid() + "  " + (w.busy() ? "busy" : "idle, ends in " + human(w.remaining(now)))
                    + "  jobs " + w.jobs() + "  build " + w.address().getParent().getFileName() + "  " + w.description());
        }
        System.out.println(workers.size() + " kept worker" + (workers.size() == 1 ? "" : "s") + " in " + KeptWorkers.base());
    }

    /**
     * Writes a duration as a person reads it: {@code 4 min 30 s}, {@code 12 s}.
     *
     * @param d the duration
     * @return the text
     */
    public static String human(Duration d) {
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
