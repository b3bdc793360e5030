package io.pprocess.examples;

import io.pprocess.KeptWorker;
import io.pprocess.PProcess;
import io.pprocess.examples.bottles.Bottles;
import io.pprocess.examples.bottles.BottlesHeartbeat;
import io.pprocess.examples.raytrace.Raytrace;
import io.pprocess.examples.raytrace.RaytraceCluster;
import io.pprocess.examples.raytrace.RaytracePmap;
import io.pprocess.examples.raytrace.RaytraceQueue;
import io.pprocess.examples.raytrace.RaytraceReusable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an example program by its original pprocess name.
 *
 * <pre>
 * Examples --list            lists the examples with a line about each (also -l, --help, -h)
 * Examples NAME [options]    runs one; NAME --help shows its options
 * Examples --stop-workers    ends the workers that earlier examples kept
 * </pre>
 *
 * <p>Examples keep their worker processes for {@link #DEFAULT_KEEP} after they end, for the
 * next example to use instead of starting JVMs ({@link PProcess#keepWorkers}); a line on
 * standard error says how many stay. {@code --no-keep-workers} (anywhere after NAME) or
 * {@code PPROCESS_KEEP_WORKERS=off} runs with children that end with the program;
 * {@code --keep-workers=DURATION} (such as {@code 90s}, {@code 10m}) keeps them for longer or
 * shorter.
 *
 * <p>No name, or an unknown one, is a usage error: it is reported on standard error, with the
 * list of examples when no name was given, and the exit status is {@value Cli#USAGE_ERROR}.
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
        add("simple_create_map", "create + Map: fork-style children, results in creation order, printed by slices",
                SimpleCreateMap::main);
        add("simple_create_queue", "create + Queue: fork-style children, labelled results in arrival order",
                SimpleCreateQueue::main);
        add("simple_create", "create + Exchange: fork-style children, a store handler places the results",
                SimpleCreate::main);
        add("simple_managed_map", "MakeParallel + manage + Map: a managed callable, results in call order",
                SimpleManagedMap::main);
        add("simple_managed_queue", "MakeParallel + manage + Queue: a managed callable, results in arrival order",
                SimpleManagedQueue::main);
        add("simple_managed", "MakeParallel + manage + Exchange: a managed callable and a store handler",
                SimpleManaged::main);
        add("simple_pmap", "pmap: a parallel map of an ordinary function", SimplePmap::main);
        add("simple_pmap_iter", "pmap read by iteration: rows printed as soon as they are complete",
                SimplePmapIter::main);
        add("simple_start_queue", "MakeParallel + start + Queue: started jobs, queued beyond the limit",
                SimpleStartQueue::main);
        add("simple_start", "start + Exchange: a channel-aware task and an Exchange subclass", SimpleStart::main);
        add("simple_managed_map_reusable", "MakeReusable + manage + Map: only 'limit' processes, each reused",
                SimpleManagedMapReusable::main);
        add("simple_continuous_queue", "continuous Queue: one child per row, each sending N results over time",
                SimpleContinuousQueue::main);
        add("simple_persistent_managed",
                "MakeParallel + manage + PersistentQueue: a background process per cell; --start, later --reconnect",
                SimplePersistentManaged::main);
        add("simple_persistent_queue",
                "MakeParallel + start + PersistentQueue: a background process per cell; --start, later --reconnect",
                SimplePersistentQueue::main);
        add("simple_background_queue",
                "BackgroundCallable + BackgroundQueue: the whole grid in one background process; --start, later --reconnect",
                SimpleBackgroundQueue::main);
        add("simple_mutable", "sequential: a function fills in a list the caller sees", SimpleMutable::main);
        add("simple_mutable_queue", "parallel: children fill in their copies; the parent's list stays unchanged",
                SimpleMutableQueue::main);
        add("simple", "sequential baseline, the work inline in the loop", Simple::main);
        add("simple1", "sequential baseline, the work in a function", Simple1::main);
        add("simple2", "sequential baseline, labelled results stored in the grid", Simple2::main);
        add("simple_map", "sequential baseline, an ordinary map over the cells", SimpleMap::main);
        add("create_loop", "a created child prints the values the parent sends until the limit, then answers Done",
                CreateLoop::main);
        add("start_loop", "the same with a started task", StartLoop::main);
        add("bottles", "99 bottles: children tail growing files, others grep them, the parent prints matches",
                Bottles::main);
        add("bottles_heartbeat", "99 bottles with a child sending a periodic heartbeat", BottlesHeartbeat::main);
        add("raytrace", "ray-traces the scene row by row in this process and writes test.tif", Raytrace::main);
        add("raytrace_pmap", "ray-traces the rows with pmap; the same test.tif", RaytracePmap::main);
        add("raytrace_queue", "ray-traces with continuous children sending rows out of order; the same test.tif",
                RaytraceQueue::main);
        add("raytrace_reusable", "ray-traces with reused processes, one call per row; the same test.tif",
                RaytraceReusable::main);
        add("raytrace_cluster", "ray-traces the rows across the nodes of a pprocess cluster; the same test.tif",
                RaytraceCluster::main);
    }

    private Examples() {
    }

    private static void add(String name, String description, Program program) {
        PROGRAMS.put(name, new Entry(description, program));
    }

    /**
     * Runs the example named by the first argument with the remaining arguments, or lists the
     * examples for {@code --list}.
     *
     * @param args the example's name, then its options
     * @throws Exception whatever the example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("pprocess-example: no example named; give one of these:");
            list(System.err);
            System.exit(Cli.USAGE_ERROR);
        }
        if (args.length == 1 && List.of("--list", "-l", "--help", "-h").contains(args[0])) {
            list(System.out);
            return;
        }
        if (args[0].equals("--stop-workers")) {
            List<KeptWorker> stopped = PProcess.stopKeptWorkers();
            System.err.println("pprocess-example: " + stopped.size() + " kept worker" + (stopped.size() == 1 ? "" : "s")
                    + " told to end");
            return;
        }
        Entry entry = PROGRAMS.get(args[0]);
        if (entry == null) {
            System.err.println("pprocess-example: unknown example '" + args[0]
                    + "'; 'pprocess-example --list' lists the examples");
            System.exit(Cli.USAGE_ERROR);
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        Duration keep = keepSetting(rest);
        PProcess.keepWorkers(keep);
        entry.program().main(rest.toArray(new String[0]));
        if (!keep.isZero()) {
            reportKept();
        }
    }

    /** How long kept workers wait for the next example unless told otherwise. */
    static final Duration DEFAULT_KEEP = Duration.ofMinutes(5);

    /**
     * Takes {@code --no-keep-workers} and {@code --keep-workers[=DURATION]} out of the
     * arguments and says how long to keep workers: those, else the library's setting if one is
     * made ({@code pprocess.keepWorkers}, {@code PPROCESS_KEEP_WORKERS}), else
     * {@link #DEFAULT_KEEP}.
     */
    static Duration keepSetting(List<String> args) {
        Duration keep = null;
        for (java.util.Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("--no-keep-workers")) {
                keep = Duration.ZERO;
                it.remove();
            } else if (a.equals("--keep-workers")) {
                keep = DEFAULT_KEEP;
                it.remove();
            } else if (a.startsWith("--keep-workers=")) {
                try {
                    keep = PProcess.parseIdleLimit(a.substring("--keep-workers=".length()));
                } catch (IllegalArgumentException e) {
                    System.err.println("pprocess-example: --keep-workers: " + e.getMessage());
                    System.exit(Cli.USAGE_ERROR);
                }
                it.remove();
            }
        }
        if (keep != null) {
            return keep;
        }
        if (PProcess.keepWorkersSetting().isPresent()) {
            return PProcess.keptWorkersIdleLimit();
        }
        return DEFAULT_KEEP;
    }

    private static void reportKept() {
        PProcess.keptWorkersNotice("pprocess-example").ifPresent(line -> System.err.println("pprocess-example: " + line));
    }

    private static void list(PrintStream out) {
        out.println("Usage: pprocess-example NAME [options]   (NAME --help shows the options; --list lists)");
        out.println("Workers are kept for 5 minutes for the next example (--no-keep-workers: none);"
                + " 'pprocess-example --stop-workers' ends them.");
        out.println();
        int width = PROGRAMS.keySet().stream().mapToInt(String::length).max().orElse(0);
        PROGRAMS.forEach((name, entry) -> out.printf("  %-" + width + "s  %s%n", name, entry.description()));
    }
}
