package io.pprocess.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pprocess.CancelledException;
import io.pprocess.PProcess;
import io.pprocess.cluster.internal.LocalNodes;
import io.pprocess.PoolOptions;
import io.pprocess.TimeLimitException;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs on 127.0.0.1 and this JVM as the driver. The functions are classes of the
 * test directory, which is not on the nodes' class path: every job ships it. The tests run in
 * order: the last ones kill nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterIT {
    private static final String NAME = "pprocess-it-" + ProcessHandle.current().pid();

    private Path dir;
    private LocalNodes nodes;
    private Cluster cluster;
    private String members;

    @BeforeAll
    void startNodes(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        nodes = new LocalNodes(dir, LocalNodes.javaCommand(nodeClassPath(), "-Xmx256m", "-Djava.io.tmpdir=" + dir),
                Map.of(), 1);
        members = nodes.startCluster(NAME, 3);
        cluster = Cluster.connect(ClusterOptions.cluster(NAME).members(members).secretFile(nodes.secret())
                .noNodeTimeout(Duration.ofSeconds(5)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.nodes().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(cluster.nodes()).hasSize(3);
    }

    @AfterAll
    void stopNodes() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            nodes.close();
        }
    }

    /** The class path of a node: pprocess-cluster's classes, pprocess-core and the dependencies, not the tests. */
    static String nodeClassPath() throws IOException {
        Path classes = Path.of(System.getProperty("cluster.classes", "target/classes")).toAbsolutePath();
        String deps = Files.readString(classes.getParent().resolve("classpath.txt")).trim();
        String core = Path.of(PProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        return classes + File.pathSeparator + core + File.pathSeparator + deps;
    }

    /** A function whose class exists only in the test class directory. */
    static final class ClassPathProbe implements io.pprocess.SerializableFunction<Integer, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String apply(Integer x) {
            return x + " " + System.getProperty("java.class.path");
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void pmapOfTenThousandItemsIsCorrectAndInOrder() {
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> x * 3 + 1,
                IntStream.range(0, 10_000).boxed().toList())) {
            List<Integer> all = new ArrayList<>();
            for (int r : results) {
                all.add(r);
            }
            assertThat(all).isEqualTo(IntStream.range(0, 10_000).map(x -> x * 3 + 1).boxed().toList());
        }
        assertThat(nodes.nodes()).allSatisfy(n -> assertThat(n.log()).contains("accepted job"));
    }

    @Test
    @Order(2)
    void aFunctionOnlyInTheDriversClassPathRunsFromTheShippedJar() {
        assertThat(ClusterIT.class.getProtectionDomain().getCodeSource().getLocation().getPath()).endsWith("test-classes/");
        try (ClusterMap<String> results = cluster.pmap(new ClassPathProbe(), List.of(1, 2, 3, 4, 5, 6))) {
            for (int i = 0; i < 6; i++) {
                String classPath = results.get(i);
                assertThat(classPath).startsWith((i + 1) + " ");
                assertThat(classPath).doesNotContain("test-classes").contains(".jar");
                assertThat(classPath).containsAnyOf(nodes.nodes().stream().map(n -> n.workDir().toString()).toArray(String[]::new));
            }
        }
    }

    @Test
    @Order(3)
    void failuresAreDeliveredPerItemWithTheNodeAndThePid() {
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> {
            if (x == 3) {
                throw new IllegalArgumentException("three is refused");
            }
            if (x == 5) {
                Runtime.getRuntime().halt(7);
            }
            return x;
        }, List.of(0, 1, 2, 3, 4, 5, 6))) {
            assertThat(results.get(2)).isEqualTo(2);
            Throwable thrown = catchThrowable(() -> results.get(3));
            assertThat(thrown).isInstanceOf(NodeRemoteException.class).hasMessageContaining("item 3: ")
                    .hasMessageContaining("java.lang.IllegalArgumentException: three is refused");
            NodeRemoteException remote = (NodeRemoteException) thrown;
            assertThat(remote.item()).hasValue(3);
            assertThat(remote.pid()).isPositive();
            assertThat(remote.node()).contains("127.0.0.1");
            assertThat(remote.isInstanceOf(IllegalArgumentException.class)).isTrue();
            Throwable died = catchThrowable(() -> results.get(5));
            assertThat(died).isInstanceOf(NodeChildProcessException.class).hasMessageContaining("item 5: ");
            NodeChildProcessException child = (NodeChildProcessException) died;
            assertThat(child.exitStatus()).isEqualTo(7);
            assertThat(child.pid()).isPositive();
            assertThat(child.node()).contains("127.0.0.1");
            assertThat(results.get(6)).isEqualTo(6);
        }
    }

    @Test
    @Order(4)
    void theQueueDeliversInArrivalOrderAndTheExecutorOneItem() throws Exception {
        Set<Integer> seen = new HashSet<>();
        try (ClusterQueue<Integer> queue = cluster.queue((Integer x) -> x * x, IntStream.range(0, 500).boxed().toList())) {
            for (int r : queue) {
                assertThat(seen.add(r)).isTrue();
            }
        }
        assertThat(seen).isEqualTo(IntStream.range(0, 500).map(x -> x * x).boxed().collect(java.util.stream.Collectors.toSet()));
        assertThat(cluster.submit((String s) -> s.toUpperCase(), "abc").get(60, TimeUnit.SECONDS)).isEqualTo("ABC");
    }

    /** Writes this child's pid into {@code dir}, then sleeps for a minute: an item that runs until stopped. */
    static Integer recordPidAndHang(String dir, int x) {
        try {
            Files.writeString(Path.of(dir, Long.toString(ProcessHandle.current().pid())), Integer.toString(x));
            Thread.sleep(60_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return x;
    }

    /** The pids recorded by {@link #recordPidAndHang} in {@code dir}, once there are {@code n}. */
    static List<Long> awaitPids(Path dir, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<Long> pids;
            try (var files = Files.list(dir)) {
                pids = files.map(f -> Long.parseLong(f.getFileName().toString())).toList();
            }
            if (pids.size() >= n || System.nanoTime() > deadline) {
                assertThat(pids).as("children running the items").hasSizeGreaterThanOrEqualTo(n);
                return pids;
            }
            Thread.sleep(20);
        }
    }

    /** Waits up to 15 s for the processes to end. */
    static void assertEnd(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (pids.stream().anyMatch(ClusterIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pids).as("children of the nodes still alive").noneMatch(ClusterIT::alive);
    }

    @Test
    @Order(11)
    void anItemOverItsTimeLimitFailsAloneItsChildIsKilledAndTheRestGoesOn() throws Exception {
        String hang = Files.createDirectory(dir.resolve("timeout-pids")).toString();
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> x == 1 ? recordPidAndHang(hang, x) : x * 10,
                List.of(0, 1, 2, 3, 4, 5), PoolOptions.defaults().itemTimeout(Duration.ofSeconds(1)))) {
            assertThat(results.get(0)).isZero();
            Throwable thrown = catchThrowable(() -> results.get(1));
            assertThat(thrown).isInstanceOf(NodeTimeLimitException.class).isInstanceOf(TimeLimitException.class);
            NodeTimeLimitException late = (NodeTimeLimitException) thrown;
            assertThat(late.item()).hasValue(1);
            assertThat(late.limit()).isEqualTo(Duration.ofSeconds(1));
            assertThat(late.node()).contains("127.0.0.1");
            assertThat(late.pid()).isEqualTo(awaitPids(Path.of(hang), 1).get(0));
            assertThat(late).hasMessageStartingWith("item 1: child process " + late.pid())
                    .hasMessageContaining("time limit of 1000 ms").hasMessageContaining("on node " + late.node());
            assertThat(List.of(results.get(2), results.get(3), results.get(4), results.get(5)))
                    .containsExactly(20, 30, 40, 50);
            assertEnd(List.of(late.pid()));
        }
        assertThatThrownBy(() -> cluster.pmap((Integer x) -> x, List.of(1), PoolOptions.defaults().workers(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers does not apply");
    }

    @Test
    @Order(12)
    void closingAMapStopsItsChunksOnTheNodesAndTheirChildrenEnd() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("close-pids"));
        String hang = pids.toString();
        List<Long> running;
        ClusterMap<Integer> results = cluster.pmap((Integer x) -> recordPidAndHang(hang, x), List.of(0, 1, 2, 3, 4, 5),
                null);
        try {
            running = awaitPids(pids, 2);
        } finally {
            results.close();
        }
        assertThatThrownBy(() -> results.get(5)).isInstanceOf(CancelledException.class)
                .hasMessageStartingWith("item 5: the map was closed");
        assertEnd(running);
        // a node answers a chunk when the whole chunk is done: these items all run until stopped
        try (ClusterQueue<Integer> queue = cluster.queue((Integer x) -> recordPidAndHang(hang, x),
                IntStream.range(0, 6).boxed().toList())) {
            List<Long> more = awaitPids(pids, running.size() + 2);
            queue.cancel();
            int cancelled = 0;
            for (var it = queue.iterator(); it.hasNext(); cancelled++) {
                assertThat(catchThrowable(it::next)).isInstanceOf(CancelledException.class)
                        .hasMessageContaining("the queue was cancelled");
            }
            assertThat(cancelled).isEqualTo(6);
            assertEnd(more);
        }
    }

    @Test
    @Order(13)
    void aDeadlineFailsWhatIsNotDoneAndStopsItOnTheNodes() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("deadline-pids"));
        String hang = pids.toString();
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> recordPidAndHang(hang, x),
                List.of(0, 1, 2, 3), PoolOptions.defaults().deadline(Duration.ofSeconds(3)))) {
            List<Long> running = awaitPids(pids, 2);
            Throwable thrown = catchThrowable(() -> results.get(3));
            assertThat(thrown).isInstanceOf(NodeTimeLimitException.class)
                    .hasMessageStartingWith("item 3: not done by the deadline of 3000 ms for the whole pmap");
            assertThat(((TimeLimitException) thrown).limit()).isEqualTo(Duration.ofSeconds(3));
            assertEnd(running);
        }
    }

    @Test
    @Order(14)
    void theExecutorRunsTasksOnTheNodesAndCancelStopsATaskOnItsNode() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("executor-pids"));
        String hang = pids.toString();
        ClusterExecutor executor = cluster.executor();
        try {
            long pid = executor.submit(() -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
            assertThat(pid).isPositive().isNotEqualTo(ProcessHandle.current().pid());
            List<Future<Integer>> all = executor.invokeAll(List.<ClusterCallable<Integer>>of(() -> 1, () -> 2, () -> 3,
                    () -> 4));
            List<Integer> values = new ArrayList<>();
            for (Future<Integer> f : all) {
                values.add(f.get());
            }
            assertThat(values).containsExactly(1, 2, 3, 4);
            Throwable failed = catchThrowable(() -> executor.submit(() -> {
                throw new IOException("no such file");
            }).get(60, TimeUnit.SECONDS));
            assertThat(failed).isInstanceOf(ExecutionException.class).cause().isInstanceOf(NodeRemoteException.class)
                    .hasMessageContaining("java.io.IOException: no such file");
            assertThatThrownBy(() -> executor.submit(new Callable<Integer>() {
                @Override
                public Integer call() {
                    return 1;
                }
            })).isInstanceOf(NodeCodecException.class).hasMessageContaining("is not Serializable");
            CompletableFuture<Integer> hanging = executor.submit(() -> recordPidAndHang(hang, 7));
            List<Long> running = awaitPids(pids, 1);
            assertThat(hanging.cancel(true)).isTrue();
            assertThatThrownBy(hanging::get).isInstanceOf(CancellationException.class);
            assertEnd(running);
            executor.shutdown();
            assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.isTerminated()).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @Order(15)
    void aJobWithoutTheSecretIsRefusedAndLogged() throws Exception {
        Path wrong = LocalNodes.secretFile(dir.resolve("wrong.secret"), "not the secret of this cluster at all");
        try (Cluster intruder = Cluster.connect(ClusterOptions.cluster(NAME).members(members).secretFile(wrong));
             ClusterMap<Integer> results = intruder.pmap((Integer x) -> x, List.of(1, 2, 3))) {
            for (int i = 0; i < 3; i++) {
                int index = i;
                assertThatThrownBy(() -> results.get(index)).isInstanceOf(ClusterException.class)
                        .hasMessageContaining("item " + i + ": ").hasMessageContaining("refused")
                        .hasMessageContaining("authentication code does not match");
            }
        }
        assertThat(nodes.nodes().stream().anyMatch(n -> n.log().contains("refused"))).isTrue();
    }

    @Test
    @Order(16)
    void aSecretFileOpenToOthersIsRefused() throws Exception {
        Path open = dir.resolve("open.secret");
        Files.writeString(open, "a secret anyone on the machine can read");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Cluster.connect(ClusterOptions.cluster(NAME).members(members).secretFile(open)))
                .isInstanceOf(ClusterException.class).hasMessageContaining("is open to others (mode 0644)");
    }

    @Test
    @Order(17)
    void aNodeWithAnotherClusterNameStaysOut() throws Exception {
        int port = LocalNodes.freePorts(1)[0];
        LocalNodes.Node stranger = nodes.start(NAME + "-other", port, members);
        Thread.sleep(3000);
        assertThat(stranger.log()).contains("ready: 1 workers, 1 members");
        assertThat(cluster.nodes()).hasSize(3).noneMatch(n -> n.contains(":" + port));
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> x + 1, IntStream.range(0, 60).boxed().toList())) {
            assertThat(results.toList()).isEqualTo(IntStream.range(1, 61).boxed().toList());
        }
        assertThat(stranger.log()).doesNotContain("accepted job");
        // SIGTERM: the node leaves, exits with 0 and removes its work directory
        stranger.process().destroy();
        assertThat(stranger.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stranger.process().exitValue()).isZero();
        assertThat(stranger.workDir()).doesNotExist();
    }

    @Test
    @Order(18)
    void aNodeKilledDuringAPmapLosesNoItemAndDuplicatesNone() throws Exception {
        LocalNodes.Node victim = nodes.nodes().get(0);
        List<Integer> arrived = new ArrayList<>();
        try (ClusterQueue<Integer> queue = cluster.queue((Integer x) -> {
            pause(2);
            return x;
        }, IntStream.range(0, 2000).boxed().toList())) {
            for (int r : queue) {
                arrived.add(r);
                if (arrived.size() == 200) {
                    victim.process().destroyForcibly();
                }
            }
        }
        assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.process().exitValue()).isEqualTo(128 + 9);
        assertThat(arrived).hasSize(2000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(arrived)).isEqualTo(new HashSet<>(IntStream.range(0, 2000).boxed().toList()));
        long left = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (cluster.nodes().size() > 2 && System.nanoTime() < left) {
            Thread.sleep(100);
        }
        assertThat(cluster.nodes()).hasSize(2);
        // the killed node's job host and its children end by themselves
        List<Long> hosts = victim.jobHostPids();
        assertThat(hosts).isNotEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (hosts.stream().anyMatch(ClusterIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(hosts).noneMatch(ClusterIT::alive);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    @Order(19)
    void aNodeStoppedBySigtermExitsWithZeroAndLeavesNothing() throws Exception {
        LocalNodes.Node node = nodes.nodes().get(1);
        List<Long> hosts = node.jobHostPids();
        assertThat(hosts).isNotEmpty();
        node.process().destroy();
        assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.process().exitValue()).isZero();
        assertThat(node.workDir()).doesNotExist();
        assertThat(hosts).noneMatch(ClusterIT::alive);
        assertThat(node.log()).contains("stopped");
    }

    @Test
    @Order(20)
    void whenNoNodeIsLeftTheItemsFailWithAClearErrorInBoundedTime() throws Exception {
        LocalNodes.Node last = nodes.nodes().get(2);
        try (ClusterMap<Integer> results = cluster.pmap((Integer x) -> {
            pause(200);
            return x;
        }, IntStream.range(0, 40).boxed().toList())) {
            assertThat(results.get(0)).isZero();
            last.process().destroyForcibly();
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> results.get(39));
            assertThat(thrown).isInstanceOf(ClusterException.class).hasMessageContaining("item 39: ")
                    .hasMessageContaining("no pprocess node");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(60));
        }
    }
}
