package io.pprocess.modcheck;

import io.pprocess.Channel;
import io.pprocess.CodecException;
import io.pprocess.MapExchange;
import io.pprocess.PProcess;
import io.pprocess.ProcessExecutor;
import io.pprocess.modcheck.sealed.Unopened;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs {@code start}/{@code receive}, {@code pmap} and the executor from a named module, with
 * values of the module's own, and checks that each child ran the module's code as a module;
 * then sends a value of a package opened to nobody and prints the error. One line per check;
 * exits with status 1 at the first wrong answer.
 */
public final class ModCheck {
    /** A value of the application's own. */
    public record Point(int x, int y) {
    }

    /** Where a child found the code: the modules of the user's class and of pprocess. */
    public record Where(long pid, String module, String pprocessModule) {
        static Where here() {
            return new Where(ProcessHandle.current().pid(), Point.class.getModule().getName(),
                    PProcess.class.getModule().getName());
        }
    }

    private ModCheck() {
    }

    public static void main(String[] args) throws Exception {
        long self = ProcessHandle.current().pid();
        check(Point.class.getModule().isNamed() && PProcess.class.getModule().isNamed(),
                "the parent is not on the module path");

        try (Channel channel = PProcess.start((Channel c, Point p) -> {
            c.send(new Point(p.x() + 1, p.y() * 10));
            c.send(Where.here());
        }, new Point(1, 2))) {
            Point back = channel.receive();
            Where where = channel.receive();
            check(back.equals(new Point(2, 20)), "start/receive gave " + back);
            checkChild(where, self, "start");
        }
        System.out.println("start ok");

        try (MapExchange<Where> map = PProcess.pmap((Integer i) -> Where.here(), List.of(1, 2, 3, 4), 2)) {
            List<Where> all = map.stream().collect(Collectors.toList());
            check(all.size() == 4, "pmap gave " + all);
            for (Where where : all) {
                checkChild(where, self, "pmap");
            }
        }
        try (MapExchange<Point> map = PProcess.pmap((Point p) -> new Point(p.x() * p.x(), -p.y()),
                IntStream.rangeClosed(1, 50).mapToObj(i -> new Point(i, i)).collect(Collectors.toList()), 2)) {
            long sum = map.stream().mapToLong(Point::x).sum();
            check(sum == 42925, "pmap gave a sum of squares of " + sum);
        }
        System.out.println("pmap ok");

        try (ProcessExecutor executor = PProcess.executor(2)) {
            Point base = new Point(40, 2);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                futures.add(executor.submit(() -> base.x() + base.y() + n));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            check(total == 20 * 42 + 190, "the executor gave " + total);
            checkChild(executor.submit(Where::here).get(), self, "executor");
        }
        System.out.println("executor ok");

        Unopened sealed = new Unopened("x");
        try (Channel channel = PProcess.start((Channel c, Unopened u) -> c.send(u.text()), sealed)) {
            check(false, "a value of an unopened package was sent: " + channel.<Object>receive());
        } catch (CodecException e) {
            System.out.println("unopened: " + e.getMessage().replace('\n', ' '));
        }
        try (ProcessExecutor executor = PProcess.executor(1)) {
            executor.submit(() -> sealed.text());
            check(false, "a task capturing a value of an unopened package was submitted");
        } catch (CodecException e) {
            System.out.println("unopened task: " + e.getMessage().replace('\n', ' '));
        }
        try (MapExchange<Integer> map = PProcess.pmap(Unopened.doubler(), List.of(1, 2), 1)) {
            check(false, "a function of an unopened package was mapped: " + map.get(0));
        } catch (CodecException e) {
            System.out.println("unopened function: " + e.getMessage().replace('\n', ' '));
        }
    }

    private static void checkChild(Where where, long parent, String what) {
        check(where.pid() != parent && "io.pprocess.modcheck".equals(where.module())
                && "io.pprocess".equals(where.pprocessModule()), what + " ran in " + where);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
