package io.pprocess.testing;

import io.pprocess.Channel;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import java.time.Duration;
import java.util.List;

/**
 * A program run by tests of kept workers, with {@code pprocess.keptWorkersDir} set:
 * {@code start} runs one task and prints {@code worker <pid>} for the process that ran it;
 * {@code pmap N} maps over N items and prints the distinct pids that served them, one
 * {@code worker <pid>} line each; {@code hold} runs a task that waits until this program's
 * standard input ends, printing {@code worker <pid>} first.
 */
public final class KeptWorkerProgram {
    private KeptWorkerProgram() {
    }

    /**
     * Runs one mode.
     *
     * @param args the mode and its argument
     * @throws Exception if the work fails
     */
    public static void main(String[] args) throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        switch (args[0]) {
            case "start": {
                try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
                    System.out.println("worker " + (long) c.receive());
                }
                break;
            }
            case "pmap": {
                int n = Integer.parseInt(args[1]);
                List<Integer> items = java.util.stream.IntStream.range(0, n).boxed().collect(java.util.stream.Collectors.toList());
                try (MapExchange<Long> pids = PProcess.pmap((Integer i) -> ProcessHandle.current().pid(), items, 2)) {
                    java.util.Set<Long> seen = new java.util.TreeSet<>();
                    for (Long pid : pids) {
                        seen.add(pid);
                    }
                    seen.forEach(p -> System.out.println("worker " + p));
                }
                break;
            }
            case "hold": {
                try (Channel c = PProcess.start(ch -> {
                    ch.send(ProcessHandle.current().pid());
                    ch.receive();
                })) {
                    System.out.println("worker " + (long) c.receive());
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // Held until the test closes our input.
                    }
                    c.send("done");
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
