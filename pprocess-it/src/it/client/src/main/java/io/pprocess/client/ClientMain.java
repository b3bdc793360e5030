package io.pprocess.client;

import io.pprocess.Channel;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.ProcessExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A user's program: pmap, start/receive and the executor, each checked; exits with status 1 if
 * any result is wrong.
 */
public final class ClientMain {

    /** A value of the application's own, sent both ways. */
    public record Greeting(String name, long pid) {
    }

    private ClientMain() {
    }

    /**
     * Runs the checks.
     *
     * @param args how this program was started, for the report
     * @throws Exception if a check fails unexpectedly
     */
    public static void main(String[] args) throws Exception {
        String how = args.length > 0 ? args[0] : "unknown";
        long self = ProcessHandle.current().pid();

        List<Integer> squares;
        try (MapExchange<Integer> map = PProcess.pmap((Integer x) -> x * x, List.of(1, 2, 3, 4, 5), 2)) {
            squares = map.stream().collect(Collectors.toList());
        }
        check(squares.equals(List.of(1, 4, 9, 16, 25)), "pmap gave " + squares);

        Greeting back;
        try (Channel channel = PProcess.start((Channel c, Greeting g) ->
                c.send(new Greeting(g.name().toUpperCase(), ProcessHandle.current().pid())), new Greeting("client", self))) {
            back = channel.receive();
        }
        check(back.name().equals("CLIENT") && back.pid() != self, "start/receive gave " + back);

        int total;
        try (ProcessExecutor executor = PProcess.executor(2)) {
            AtomicInteger base = new AtomicInteger(41);
            CompletableFuture<Integer> first = executor.submit(() -> base.incrementAndGet());
            List<Future<Integer>> many = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                many.add(executor.submit(() -> n * 2));
            }
            total = first.get();
            for (Future<Integer> f : many) {
                total += f.get();
            }
        }
        check(total == 42 + 9900, "executor gave " + total);

        System.out.println("pprocess client ok (" + how + "): pmap " + squares + ", start/receive " + back.name()
                + " from child " + back.pid() + ", executor " + total + "; children's class path: "
                + PProcess.classPath().size() + " entries");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("pprocess client FAILED: " + what);
            System.exit(1);
        }
    }
}
