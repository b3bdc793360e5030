package io.pprocess;

import io.pprocess.internal.spawn.KeptWorkers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.KeptWorkerProgram;
import io.pprocess.testing.Procs;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept workers across separate programs: reuse, exclusive claims, replacement of a killed
 * worker, the private directory, the idle limit, stopping, and builds kept apart. Every test
 * ends the workers it started.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KeptWorkersIT {
    @TempDir
    Path tmp;
    private Path base;

    @BeforeEach
    void useOwnDirectory() {
        base = tmp.resolve("kw");
        System.setProperty("pprocess.keptWorkersDir", base.toString());
    }

    @AfterEach
    void endWorkers() throws InterruptedException {
        PProcess.keepWorkers(Duration.ZERO);
        List<KeptWorker> stopped = PProcess.stopKeptWorkers();
        for (KeptWorker w : stopped) {
            assertThat(Procs.awaitGone(w.pid(), 10_000)).as("worker %d ends when stopped", w.pid()).isTrue();
        }
        System.clearProperty("pprocess.keptWorkersDir");
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-Dpprocess.keptWorkersDir=" + base);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KeptWorkerProgram.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Set<Long> run(Stream<String> extraEnv, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true);
        extraEnv.forEach(kv -> pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("output: %s", out).isZero();
        return pids(out.lines());
    }

    private static Set<Long> pids(Stream<String> lines) {
        return lines.filter(l -> l.startsWith("worker ")).map(l -> Long.parseLong(l.substring(7).trim()))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * The kept workers once every one of {@code expected} answers the listing again (a worker
     * whose program just ended takes a moment to be listening for the next), or after 10 s.
     */
    private static Set<Long> keptPidsOnceListed(Set<Long> expected) throws InterruptedException {
        return pidsOnceListed(w -> true, expected);
    }

    /** The idle kept workers once {@code pid} is listed among them, or after 10 s. */
    private static Set<Long> idlePidsOnceListed(long pid) throws InterruptedException {
        return pidsOnceListed(w -> !w.busy(), Set.of(pid));
    }

    private static Set<Long> pidsOnceListed(Predicate<KeptWorker> which, Set<Long> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Long> listed = listedPids(which);
        while (!listed.containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            listed = listedPids(which);
        }
        return listed;
    }

    private static Set<Long> keptPids() {
        return listedPids(w -> true);
    }

    private static Set<Long> listedPids(Predicate<KeptWorker> which) {
        return PProcess.keptWorkers().stream().filter(which).map(KeptWorker::pid)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static long workerPidOf(Channel c) {
        return c.receive();
    }

    @Test
    void aSecondProgramUsesTheWorkersOfTheFirst() throws Exception {
        Set<Long> first = run(Stream.empty(), "pmap", "200");
        assertThat(first).isNotEmpty();
        // Under load one worker can serve every item while its sibling starts, so the workers
        // the first program left are those kept now, not only those that served it.
        Set<Long> kept = keptPidsOnceListed(first);
        assertThat(kept).as("kept after the first program").containsAll(first);
        Set<Long> second = run(Stream.empty(), "pmap", "200");
        assertThat(second).as("the second program reuses the first's workers").containsAnyElementsOf(kept);
        Set<Long> started = new java.util.TreeSet<>(second);
        started.removeAll(kept);
        assertThat(started).as("workers the second program started beside the %d it found", kept.size())
                .hasSizeLessThanOrEqualTo(Math.max(0, 2 - kept.size()));
        for (long pid : first) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("kept after both programs ended")
                    .hasValue(true);
        }
        // The worker that served the second program takes a moment to answer the listing again.
        assertThat(keptPidsOnceListed(first)).as("listed after both programs ended").containsAll(first);
        Set<Long> all = keptPids();
        assertThat(pidsOnceListed(w -> !w.busy(), all)).as("idle after both programs ended").isEqualTo(all);
    }

    @Test
    void twoProgramsAtOnceNeverShareAWorker() throws Exception {
        Process holder = new ProcessBuilder(command("hold")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            long held = pids(Stream.of(out.readLine())).iterator().next();
            Set<Long> other = run(Stream.empty(), "start");
            assertThat(other).doesNotContain(held);
            PProcess.keepWorkers(Duration.ofSeconds(60));
            try (Channel mine = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
                assertThat(workerPidOf(mine)).isNotEqualTo(held).isIn(other);
            }
            assertThat(PProcess.keptWorkers()).filteredOn(w -> w.pid() == held)
                    .singleElement().satisfies(w -> assertThat(w.busy()).isTrue());
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(holder.exitValue()).isZero();
    }

    @Test
    void aJobOfANewWorkerMayRunLongerThanTheExitGrace() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        long pid;
        try (Channel c = PProcess.start(ch -> {
            Thread.sleep(2_600);
            ch.send(ProcessHandle.current().pid());
        })) {
            pid = workerPidOf(c);
        }
        assertThat(PProcess.keptWorkers()).as("the worker started for the job outlives the 2 s after its start")
                .extracting(KeptWorker::pid).containsExactly(pid);
    }

    @Test
    void aClaimedWorkerOutlivesTheExitGraceAfterItsJobAndServesTheNext() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        long pid;
        try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
            pid = workerPidOf(c);
        }
        // The exit grace of an ordinary child whose channel was closed is 2 s.
        Thread.sleep(2_600);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("worker %d after the exit grace", pid)
                .hasValue(true);
        try (Channel c = PProcess.start(ch -> {
            Thread.sleep(2_600);
            ch.send(ProcessHandle.current().pid());
        })) {
            assertThat(workerPidOf(c)).as("the next job, which outlasts another exit grace").isEqualTo(pid);
        }
        assertThat(PProcess.keptWorkers()).extracting(KeptWorker::pid).containsExactly(pid);
    }

    @Test
    void aClaimedWorkerThatDiesInItsJobIsReportedAsEndedNotAsStillRunning() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        for (int round = 0; round < 3; round++) {
            long pid;
            try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
                pid = workerPidOf(c);
                long before = System.nanoTime();
                assertThat(c.waitFor(Duration.ofSeconds(20))).as("a kept worker goes on running").isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - before)).as("waitFor on a kept worker only looks")
                        .isLessThan(Duration.ofSeconds(10));
            }
            Set<Long> free = idlePidsOnceListed(pid);
            assertThat(free).as("worker %d listed as idle again", pid).contains(pid);
            try (Channel c = PProcess.start(ch -> {
                ch.send(ProcessHandle.current().pid());
                Runtime.getRuntime().halt(7);
            })) {
                long claimed = workerPidOf(c);
                assertThat(free).as("the job runs on a kept worker").contains(claimed);
                // Not this program's child to reap: its status is unknown, but its end is waited for.
                assertThatThrownBy(c::receive).isInstanceOf(ChildProcessException.class)
                        .hasMessage("child process " + claimed + " ended (before sending again)");
            }
        }
    }

    @Test
    void aWorkerLetGoBeforeItsTaskReturnedServesTheNextStartInsteadOfANewJvm() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        long first;
        try (Channel c = PProcess.start(ch -> {
            ch.send(ProcessHandle.current().pid());
            Thread.sleep(50);
        })) {
            first = workerPidOf(c);
        }
        // Closed while the task still sleeps: the worker answers "busy" for a moment.
        try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
            assertThat(workerPidOf(c)).as("the next job waits for the worker it just let go").isEqualTo(first);
        }
        assertThat(keptPids()).as("no second worker started").containsExactly(first);
    }

    @Test
    void theNoticeSaysHowManyStayForHowLongAndHowToEndThem() throws Exception {
        assertThat(PProcess.keptWorkersNotice("tool")).as("no worker kept yet").isEmpty();
        PProcess.keepWorkers(Duration.ofSeconds(90));
        try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
            workerPidOf(c);
        }
        int count = PProcess.keptWorkersOfThisBuild().size();
        assertThat(count).isPositive();
        assertThat(PProcess.keptWorkersNotice("tool")).hasValue(count + (count == 1 ? " worker stays" : " workers stay")
                + " for 1 min 30 s after the last run, to be reused; 'tool --stop-workers' ends them now,"
                + " --no-keep-workers does without");
    }

    @Test
    void aKilledWorkerIsReplaced() throws Exception {
        long first = run(Stream.empty(), "start").iterator().next();
        Path socket = PProcess.keptWorkers().stream().filter(w -> w.pid() == first).findFirst().orElseThrow().address();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        assertThat(Procs.awaitGone(first, 10_000)).isTrue();
        assertThat(socket).as("a killed worker leaves its socket file").exists();
        long second = run(Stream.empty(), "start").iterator().next();
        assertThat(second).isNotEqualTo(first);
        assertThat(socket).as("the stale socket file is removed").doesNotExist();
        assertThat(PProcess.keptWorkers()).extracting(KeptWorker::pid).containsExactly(second);
    }

    @Test
    void aDirectoryOpenToOthersIsRefused() throws Exception {
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(KeptWorkers::buildDirectory).hasMessageContaining(base.toString())
                .hasMessageContaining("open to other users");
        PProcess.keepWorkers(Duration.ofSeconds(60));
        try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
            assertThat(workerPidOf(c)).as("an ordinary child instead").isPositive();
        }
        try (Stream<Path> files = Files.list(base)) {
            assertThat(files).as("nothing is created in a refused directory").isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void theIdleLimitEndsThemAndTheyLeaveNothing() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(1));
        long pid;
        try (Channel c = PProcess.start(ch -> ch.send(ProcessHandle.current().pid()))) {
            pid = workerPidOf(c);
        }
        assertThat(PProcess.keptWorkers()).extracting(KeptWorker::pid).containsExactly(pid);
        assertThat(Procs.awaitGone(pid, 15_000)).as("ends after its idle limit").isTrue();
        assertThat(base).as("the base directory stays; the build's directory is removed").isEmptyDirectory();
    }

    @Test
    void stopEndsThemAndTheyLeaveNothing() throws Exception {
        Set<Long> served = run(Stream.empty(), "pmap", "50");
        // A worker may be started and kept without serving an item (its sibling took them all).
        Set<Long> workers = PProcess.keptWorkers().stream().map(KeptWorker::pid)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(workers).containsAll(served);
        List<KeptWorker> stopped = PProcess.stopKeptWorkers();
        assertThat(stopped).extracting(KeptWorker::pid).containsExactlyInAnyOrderElementsOf(workers);
        for (long pid : workers) {
            assertThat(Procs.awaitGone(pid, 10_000)).isTrue();
        }
        assertThat(PProcess.keptWorkers()).isEmpty();
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void aWorkerOfAnotherBuildIsNeverUsed() throws Exception {
        Set<Long> plain = run(Stream.empty(), "start");
        Set<Long> other = run(Stream.of("PPROCESS_JVM_OPTIONS=-Xmx200m"), "start");
        assertThat(other).doesNotContainAnyElementsOf(plain);
        Set<Long> again = run(Stream.of("PPROCESS_JVM_OPTIONS=-Xmx200m"), "start");
        assertThat(again).isEqualTo(other);
        List<KeptWorker> all = PProcess.keptWorkers();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).address().getParent()).isNotEqualTo(all.get(1).address().getParent());
    }

    @Test
    void aProgramThatStartsNoWorkerCreatesNothing() throws Exception {
        PProcess.keepWorkers(Duration.ofSeconds(60));
        assertThat(KeptWorkers.buildDirectory().getParent()).isEqualTo(base);
        assertThat(PProcess.keptWorkers()).isEmpty();
        Thread.sleep(200);
        assertThat(base).as("no directory until a worker is started").doesNotExist();
    }

    @Test
    void keepWorkersRejectsABadLimit() {
        assertThatThrownBy(() -> PProcess.keepWorkers(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> KeptWorkers.parseIdle("soon")).hasMessageContaining("soon");
        assertThat(KeptWorkers.parseIdle("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(KeptWorkers.parseIdle("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(KeptWorkers.parseIdle("off")).isZero();
    }
}
