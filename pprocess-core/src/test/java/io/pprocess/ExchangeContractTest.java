package io.pprocess;

import static io.pprocess.testing.Pools.drain;
import static io.pprocess.testing.Pools.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Procs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exchange contract: Exchange, MapExchange, QueueExchange, pmap. Surefire runs this class
 * once per transport.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExchangeContractTest {

    @Test
    void exchangeRunsEveryJobUnderItsLimitAndStartNeverBlocks() {
        List<Integer> results = new ArrayList<>();
        List<Integer> activeSeen = new ArrayList<>();
        Exchange[] holder = new Exchange[1];
        try (Exchange exchange = new Exchange(ExchangeOptions.defaults().limit(2), ch -> {
            results.add(ch.receive());
            activeSeen.add(holder[0].active().size());
        })) {
            holder[0] = exchange;
            long t0 = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                exchange.start((Channel c, Integer n) -> c.send(n * 10), i);
            }
            assertThat(exchange.busy()).isTrue();
            assertThat(exchange.queued()).isEqualTo(4);
            assertThat(exchange.active()).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            exchange.finish();
            assertThat(exchange.unfinished()).isFalse();
        }
        assertThat(results).containsExactlyInAnyOrder(0, 10, 20, 30, 40, 50);
        assertThat(activeSeen).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
    }

    /** The original's two_way test as an exchange subclass: parent and child count down alternately. */
    static final class TwoWay extends Exchange {
        final List<Integer> seen = new ArrayList<>();

        TwoWay() {
            super(ExchangeOptions.defaults());
        }

        @Override
        protected void storeData(Channel channel) {
            int n = channel.receive();
            seen.add(n);
            if (n > 0) {
                channel.send(n - 1);
            }
        }
    }

    @Test
    void twoWayExchangeSubclassCountsDown() {
        try (TwoWay exchange = new TwoWay()) {
            exchange.start(c -> {
                int n = 20;
                while (true) {
                    c.send(n);
                    if (n <= 1) {
                        return;
                    }
                    n = (Integer) c.receive() - 1;
                }
            });
            exchange.finish();
            assertThat(exchange.seen).containsExactly(20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
        }
    }

    @Test
    void exchangeWatchesChannelsAddedByHand() {
        List<String> results = new ArrayList<>();
        try (Exchange exchange = new Exchange(ExchangeOptions.defaults(), ch -> results.add(ch.receive()))) {
            Channel a = PProcess.start(c -> c.send("a"));
            Channel b = PProcess.start(c -> c.send("b"));
            exchange.add(a);
            exchange.addWait(b);
            assertThat(exchange.active()).containsExactly(a, b);
            exchange.finish();
            assertThat(exchange.removed()).isNotEmpty();
        }
        assertThat(results).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void readyHonoursItsTimeout() {
        try (Exchange exchange = new Exchange(ExchangeOptions.defaults(), ch -> ch.receive())) {
            Channel ch = PProcess.start(c -> {
                c.receive();
                c.send("now");
            });
            exchange.add(ch);
            long t0 = System.nanoTime();
            assertThat(exchange.ready(Duration.ZERO)).isEmpty();
            assertThat(exchange.ready(Duration.ofMillis(200))).isEmpty();
            long waited = System.nanoTime() - t0;
            assertThat(Duration.ofNanos(waited)).isBetween(Duration.ofMillis(190), Duration.ofSeconds(3));
            ch.send("go");
            assertThat(exchange.ready(Duration.ofSeconds(20))).containsExactly(ch);
            assertThat((String) ch.receive()).isEqualTo("now");
        }
    }

    @Test
    void aLastMessageSentJustBeforeExitIsNotLost() {
        try (QueueExchange<Integer> queue = new QueueExchange<>(4)) {
            for (int i = 0; i < 4; i++) {
                queue.start((Channel c, Integer n) -> {
                    c.sendUnacknowledged(n);
                    c.close();
                    Runtime.getRuntime().halt(0);
                }, i);
            }
            List<Integer> got = new ArrayList<>();
            for (Integer n : queue) {
                got.add(n);
            }
            assertThat(got).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    @Test
    void mapKeepsStartOrderWhateverTheFinishingOrder() {
        try (MapExchange<Integer> map = new MapExchange<>(4)) {
            map.startEach((Channel c, Integer n) -> {
                Thread.sleep(400 - n * 100);
                c.send(n * n);
            }, List.of(0, 1, 2, 3));
            assertThat(map.size()).isEqualTo(4);
            assertThat(map.get(3)).isEqualTo(9);
            assertThat(map.slice(1, 3)).containsExactly(1, 4);
            List<Integer> all = new ArrayList<>();
            map.forEach(all::add);
            assertThat(all).containsExactly(0, 1, 4, 9);
            assertThat(map.toList()).containsExactly(0, 1, 4, 9);
            assertThatThrownBy(() -> map.get(4)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index 4");
        }
    }

    @Test
    void queueGivesResultsInArrivalOrder() {
        try (QueueExchange<Integer> queue = new QueueExchange<>(3)) {
            for (int n : List.of(0, 1, 2)) {
                queue.start((Channel c, Integer k) -> {
                    c.receive();
                    c.send(k);
                }, n);
            }
            List<Channel> children = queue.active();
            assertThat(children).hasSize(3);
            var it = queue.iterator();
            List<Integer> got = new ArrayList<>();
            for (int k : List.of(2, 0, 1)) {
                children.get(k).send("go");
                got.add(it.next());
            }
            assertThat(it.hasNext()).isFalse();
            assertThat(got).containsExactly(2, 0, 1);
            assertThat(queue.available()).isZero();
        }
    }

    @Test
    void managedCallablesStartJobs() {
        try (MapExchange<String> map = new MapExchange<>(2)) {
            Runnable none = map.manage(c -> c.send("none"));
            java.util.function.Consumer<Integer> one = map.manage(PProcess.parallel((Integer a) -> "one " + a));
            java.util.function.BiConsumer<Integer, Integer> two =
                    map.manage(PProcess.parallel((Integer a, Integer b) -> "two " + (a + b)));
            Managed3<Integer, Integer, Integer> three =
                    map.manage(PProcess.parallel((Integer a, Integer b, Integer c) -> "three " + (a + b + c)));
            none.run();
            one.accept(1);
            two.accept(1, 2);
            three.call(1, 2, 3);
            assertThat(map.toList()).containsExactly("none", "one 1", "two 3", "three 6");
        }
    }

    @Test
    void continuousChildrenSendManyResults() {
        try (QueueExchange<String> queue = new QueueExchange<>(ExchangeOptions.defaults().limit(2).continuous(true))) {
            for (int i = 0; i < 3; i++) {
                queue.start((Channel c, Integer job) -> {
                    for (int k = 0; k < 5; k++) {
                        c.send(job + ":" + k);
                    }
                }, i);
            }
            List<String> got = new ArrayList<>();
            queue.forEach(got::add);
            assertThat(got).hasSize(15);
            for (int i = 0; i < 3; i++) {
                int job = i;
                assertThat(got.stream().filter(s -> s.startsWith(job + ":")))
                        .containsExactly(job + ":0", job + ":1", job + ":2", job + ":3", job + ":4");
            }
        }
    }

    @Test
    void pmapReturnsResultsInItemOrder() {
        try (MapExchange<Integer> squares = PProcess.pmap((Integer x) -> x * x, range(200), 2)) {
            assertThat(squares.toList()).isEqualTo(range(200).stream().map(x -> x * x).collect(Collectors.toList()));
        }
    }

    @Test
    void pmapKeepsItsWorkersWarmForTheNextCall() throws Exception {
        SerializableFunction<Integer, Long> pid = x -> ProcessHandle.current().pid();
        Set<Long> first;
        try (MapExchange<Long> pids = PProcess.pmap(pid, range(50), 2)) {
            first = new HashSet<>(pids.toList());
        }
        // Under load one worker may serve every item while its sibling's JVM is still starting:
        // the sibling is parked too, so the warm set is what was parked, not what served.
        Set<Long> warm = new HashSet<>(io.pprocess.internal.exchange.WarmWorkers.parkedPids());
        assertThat(warm).hasSizeBetween(1, 2).containsAnyElementsOf(first);
        try (MapExchange<Integer> other = PProcess.pmap((Integer x) -> x * 3, range(50), 2)) {
            assertThat(other.toList()).isEqualTo(range(50).stream().map(x -> x * 3).collect(Collectors.toList()));
        }
        Set<Long> third;
        try (MapExchange<Long> pids = PProcess.pmap(pid, range(50), 2)) {
            third = new HashSet<>(pids.toList());
        }
        assertThat(third).as("a warm process served again").hasSizeBetween(1, 2).containsAnyElementsOf(warm);
        Set<Long> all = new HashSet<>(first);
        all.addAll(warm);
        all.addAll(third);
        io.pprocess.internal.exchange.WarmWorkers.keepFor(0);
        try {
            assertThat(io.pprocess.internal.exchange.WarmWorkers.parked()).isZero();
            for (long p : all) {
                assertThat(Procs.awaitGone(p, 5000)).as("parked worker %d ended", p).isTrue();
            }
        } finally {
            io.pprocess.internal.exchange.WarmWorkers.keepFor(30_000);
        }
    }

    @Test
    void reuseServesManyJobsWithFewProcesses() {
        try (MapExchange<Long> pids = new MapExchange<>(ExchangeOptions.defaults().limit(2).reuse(true))) {
            pids.startEach(PProcess.reusable((Integer x) -> ProcessHandle.current().pid()), range(20));
            Set<Long> distinct = new HashSet<>(pids.toList());
            assertThat(distinct).hasSizeBetween(1, 2);
        }
    }

    @Test
    void processPerItemWithoutReuse() {
        try (MapExchange<Long> pids = new MapExchange<>(ExchangeOptions.defaults().limit(3))) {
            pids.startEach(PProcess.parallel((Integer x) -> ProcessHandle.current().pid()), range(4));
            assertThat(new HashSet<>(pids.toList())).hasSize(4);
        }
    }

    // ---- failures ----

    @Test
    void aThrowingItemFailsOnlyItself() {
        try (MapExchange<Integer> results = PProcess.pmap((Integer x) -> {
            if (x == 3) {
                throw new IllegalArgumentException("bad item " + x);
            }
            return x + 1;
        }, range(8), 2)) {
            List<Object> seen = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                try {
                    seen.add(results.get(i));
                } catch (RemoteException e) {
                    assertThat(e.item()).hasValue(3);
                    assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalArgumentException");
                    assertThat(e.getMessage()).isEqualTo("item 3: java.lang.IllegalArgumentException: bad item 3");
                    seen.add("failed");
                }
            }
            assertThat(seen).containsExactly(1, 2, 3, "failed", 5, 6, 7, 8);
        }
    }

    /** Kills the child running this with SIGKILL, as a kill from outside would, and waits for it. */
    private static void killThisChild() {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(10_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKilledChildFailsOnlyItsItemAndIsReplaced() {
        try (MapExchange<Integer> results = PProcess.pmap((Integer x) -> {
            if (x == 5) {
                killThisChild();
            }
            return x * 2;
        }, range(12), 2)) {
            List<Object> seen = drain(results, e -> {
                assertThat(e.item()).hasValue(5);
                assertThat(e.signal()).hasValue(9);
                assertThat(e.getMessage()).startsWith("item 5: child process ").contains("SIGKILL");
                return "killed";
            });
            assertThat(seen).containsExactly(0, 2, 4, 6, 8, "killed", 12, 14, 16, 18, 20, 22);
        }
    }

    /**
     * One worker, 400 fast items: guided chunks of 100, 75, 57... The worker dies in the middle
     * of its second chunk: only the item it was running fails, and every other item runs once
     * (the log of runs, appended by each run) and is delivered at its place.
     */
    @Test
    void aWorkerKilledMidChunkFailsOnlyItsItemAndEveryOtherRunsOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String log = dir.resolve("runs").toString();
        List<Object> seen;
        try (MapExchange<Integer> results = PProcess.pmap((Integer x) -> {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(log), x + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (x == 150) {
                killThisChild();
            }
            return x * 2;
        }, range(400), 1)) {
            seen = drain(results, e -> {
                assertThat(e.item()).hasValue(150);
                assertThat(e.signal()).hasValue(9);
                return "killed";
            });
        }
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expected.add(i == 150 ? "killed" : i * 2);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        List<String> runs = java.nio.file.Files.readAllLines(java.nio.file.Path.of(log));
        assertThat(runs).hasSize(400);
        assertThat(new HashSet<>(runs)).hasSize(400);
    }

    @Test
    void aChildCallingExitFailsItsItemInAQueueAtItsPlace() {
        try (QueueExchange<Integer> queue = new QueueExchange<>(1)) {
            queue.start((Channel c, Integer n) -> c.send(n), 0);
            queue.start((Channel c, Integer n) -> System.exit(4), 1);
            queue.start((Channel c, Integer n) -> c.send(n), 2);
            List<Object> seen = drain(queue, e -> {
                assertThat(e.exitStatus()).isEqualTo(4);
                assertThat(e.item()).hasValue(1);
                return "exit 4";
            });
            assertThat(seen).containsExactly(0, "exit 4", 2);
        }
    }

    @Test
    void unserialisableTaskOrResultFailsOnlyThatItem() {
        Thread notSendable = new Thread();
        try (MapExchange<Object> map = new MapExchange<>(2)) {
            map.start((Channel c, Integer n) -> c.send(n), 0);
            map.start((Channel c, Integer n) -> c.send(notSendable.getName()), 1);
            map.start((Channel c, Integer n) -> c.send(n), 2);
            assertThat(map.get(0)).isEqualTo(0);
            assertThatThrownBy(() -> map.get(1)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("item 1").hasMessageContaining("java.lang.Thread");
            assertThat(map.get(2)).isEqualTo(2);
        }
        try (MapExchange<Object> results = PProcess.pmap((Integer x) -> x == 1 ? new Thread() : x, range(3), 1)) {
            assertThat(results.get(0)).isEqualTo(0);
            assertThatThrownBy(() -> results.get(1)).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("item 1").hasMessageContaining("java.lang.Thread");
            assertThat(results.get(2)).isEqualTo(2);
        }
    }

    @Test
    void closingEarlyEndsTheChildren() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (QueueExchange<Long> queue = new QueueExchange<>(3)) {
            for (int i = 0; i < 6; i++) {
                queue.start(c -> {
                    c.send(ProcessHandle.current().pid());
                    Thread.sleep(60_000);
                });
            }
            for (Long pid : queue) {
                pids.add(pid);
                if (pids.size() == 2) {
                    break;
                }
            }
            pids.addAll(queue.active().stream().map(Channel::pid).collect(Collectors.toList()));
        }
        assertThat(pids).hasSizeGreaterThanOrEqualTo(3);
        for (long pid : pids) {
            assertThat(Procs.awaitGone(pid, 5000)).as("child %d still running", pid).isTrue();
        }
    }

    @Test
    void sparesMakeStartCheap() throws Exception {
        PProcess.keepSpares(1);
        try {
            awaitSpares(1);
            assertThat(io.pprocess.internal.spawn.Spares.ready()).isEqualTo(1);
            List<Long> running = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
            Channel ch = PProcess.start(c -> c.send("warm"));
            assertThat((String) ch.receive()).isEqualTo("warm");
            assertThat(running).as("the job runs in the JVM started ahead, not in one started for it")
                    .contains(ch.pid());
            ch.close();
        } finally {
            PProcess.keepSpares(0);
        }
    }

    /** Notes when it was initialised, which in a prepared spare is before its task is sent. */
    static final class InitClock {
        static final long INITIALISED = System.nanoTime();

        static ChannelTask1<Integer> task() {
            return (Channel c, Integer n) -> c.send(new long[] {INITIALISED, n});
        }
    }

    /** Cannot be initialised in a child. */
    static final class FailsInChildren {
        static {
            if (System.getenv("PPROCESS_PARENT_PID") != null) {
                throw new IllegalStateException("refusing to initialise in a child");
            }
        }

        static ChannelTask task() {
            return c -> c.send("initialised");
        }
    }

    private static void awaitSpares(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (io.pprocess.internal.spawn.Spares.ready() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
        assertThat(io.pprocess.internal.spawn.Spares.ready()).isGreaterThanOrEqualTo(n);
    }

    @Test
    void sparesPrepareTheKindsOfTaskStartedBefore() throws Exception {
        PProcess.keepSpares(1);
        try {
            awaitSpares(1);
            long firstSent = System.nanoTime();
            Channel first = PProcess.start(InitClock.task(), 1);
            long[] unprepared = first.receive();
            first.close();
            assertThat(unprepared[1]).isEqualTo(1);
            assertThat(unprepared[0]).as("a spare started before any task knows no kind of task").isGreaterThan(firstSent);
            awaitSpares(1);
            long secondSent = System.nanoTime();
            Channel second = PProcess.start(InitClock.task(), 2);
            long[] prepared = second.receive();
            second.close();
            assertThat(prepared[1]).isEqualTo(2);
            assertThat(prepared[0]).as("the replacement spare prepared the task's class before it was sent")
                    .isLessThan(secondSent);
        } finally {
            PProcess.keepSpares(0);
        }
    }

    @Test
    void aSpareTakenIsAlwaysReplaced() throws Exception {
        PProcess.keepSpares(1);
        try {
            for (int i = 0; i < 25; i++) {
                awaitSpares(1);
                Channel ch = PProcess.start((Channel c, Integer n) -> c.send(n), i);
                assertThat((Integer) ch.receive()).isEqualTo(i);
                ch.close();
            }
        } finally {
            PProcess.keepSpares(0);
        }
    }

    @Test
    void aTaskWhoseClassFailsToInitialiseFailsOnlyItselfInSparesToo() throws Exception {
        PProcess.keepSpares(1);
        try {
            awaitSpares(1);
            Channel first = PProcess.start(FailsInChildren.task());
            assertThatThrownBy(first::receive).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("FailsInChildren").hasMessageContaining("refusing to initialise in a child");
            first.close();
            awaitSpares(1);
            Channel second = PProcess.start(FailsInChildren.task());
            assertThatThrownBy(second::receive).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("FailsInChildren");
            second.close();
            awaitSpares(1);
            Channel third = PProcess.start(c -> c.send("fine"));
            assertThat((String) third.receive()).isEqualTo("fine");
            third.close();
        } finally {
            PProcess.keepSpares(0);
        }
    }

    @Test
    void closedExchangeRefusesWork() {
        Exchange exchange = new Exchange(1);
        exchange.close();
        assertThatThrownBy(() -> exchange.start(c -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessage("exchange is closed");
        Exchange noHandler = new Exchange(1);
        noHandler.start(c -> c.send(1));
        assertThatThrownBy(noHandler::finish).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StoreHandler");
        noHandler.close();
    }
}
