package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.testing.Procs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Persistent (background) processes reached through UNIX-domain sockets, watched by exchanges of either transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PersistentContractTest {

    @TempDir
    Path dir;

    private final List<BackgroundProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (BackgroundProcess p : started) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        Procs.killDetachedChildren();
    }

    private BackgroundProcess track(BackgroundProcess p) {
        started.add(p);
        return p;
    }

    private static ChannelTask sendingUpTo(int n) {
        return c -> {
            for (int i = 0; i < n; i++) {
                c.send(i);
            }
        };
    }

    @Test
    void persistentProcessIsDetachedAndServesItsResults() throws Exception {
        Path address = dir.resolve("p.sock");
        BackgroundProcess p = track(PProcess.startPersistent(address, sendingUpTo(3)));
        assertThat(p.address()).isEqualTo(address.toAbsolutePath());
        assertThat(p.isAlive()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(address))).isEqualTo("rw-------");
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long session = Long.parseLong(fields[3]);
        int ttyNr = Integer.parseInt(fields[4]);
        assertThat(session).as("its own session").isEqualTo(p.pid());
        assertThat(ttyNr).as("no controlling terminal").isZero();
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/0")).toString()).isEqualTo("/dev/null");
        try (Channel ch = p.connect()) {
            assertThat(ch.pid()).isEqualTo(p.pid());
            assertThat((Integer) ch.receive()).isZero();
            assertThat((Integer) ch.receive()).isEqualTo(1);
            assertThat((Integer) ch.receive()).isEqualTo(2);
            assertThatThrownBy(ch::receive).isInstanceOf(ChildProcessException.class)
                    .hasMessageContaining("after its task returned");
        }
        assertThat(Procs.awaitGone(p.pid(), 10_000)).isTrue();
        assertThat(address).doesNotExist();
    }

    @Test
    void connectingNeverWaitsForTheTask() throws Exception {
        Path first = dir.resolve("slow1.sock");
        Path second = dir.resolve("slow2.sock");
        // The tasks send only once the test has created this file, after both starts returned:
        // a start that waited for its task would never return, and the test's time limit ends it.
        String go = dir.resolve("go").toString();
        ChannelTask slow = c -> {
            while (!new java.io.File(go).exists()) {
                Thread.sleep(10);
            }
            c.send("late");
        };
        try (PersistentQueue<String> queue = new PersistentQueue<>(ExchangeOptions.defaults())) {
            queue.start(first, slow);
            queue.start(second, slow);
            Files.createFile(Path.of(go));
            List<String> got = new ArrayList<>();
            queue.forEach(got::add);
            assertThat(got).containsExactly("late", "late");
        }
    }

    @Test
    void resultsSurviveDisconnectWithoutLossOrDuplication() {
        Path address = dir.resolve("half.sock");
        track(PProcess.startPersistent(address, sendingUpTo(10)));
        List<Integer> got = new ArrayList<>();
        try (Channel first = PProcess.connectPersistent(address)) {
            for (int i = 0; i < 5; i++) {
                got.add(first.receive());
            }
        }
        try (Channel second = PProcess.connectPersistent(address)) {
            for (int i = 0; i < 5; i++) {
                got.add(second.receive());
            }
        }
        assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void addressInUseByALiveProcessIsAClearError() {
        Path address = dir.resolve("busy.sock");
        track(PProcess.startPersistent(address, sendingUpTo(1)));
        assertThatThrownBy(() -> PProcess.startPersistent(address, sendingUpTo(1)))
                .isInstanceOf(PProcessException.class)
                .hasMessageContaining(address.toString())
                .hasMessageContaining("in use by a live process");
    }

    @Test
    void anExchangesPersistentJobAtAnAddressInUseFailsAsThatJobAlone() {
        Path busy = dir.resolve("taken.sock");
        track(PProcess.startPersistent(busy, sendingUpTo(1)));
        try (Exchange plain = new Exchange(ExchangeOptions.defaults(), ch -> ch.receive())) {
            assertThatThrownBy(() -> plain.start(busy, sendingUpTo(1)))
                    .isInstanceOf(PProcessException.class)
                    .hasMessageContaining(busy.toString())
                    .hasMessageContaining("in use by a live process");
            assertThat(plain.active()).as("nothing is watched for the job that did not start").isEmpty();
        }
        try (MapExchange<Integer> map = new MapExchange<>(ExchangeOptions.defaults())) {
            map.start(busy, sendingUpTo(1));
            map.start(dir.resolve("free.sock"), (ChannelTask) c -> c.send(7));
            assertThatThrownBy(() -> map.get(0))
                    .isInstanceOf(PProcessException.class)
                    .hasMessageContaining("in use by a live process");
            assertThat(map.get(1)).as("the next job runs").isEqualTo(7);
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path address = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(address));
        dead.close();
        assertThat(address).exists();
        assertThatThrownBy(() -> PProcess.connectPersistent(address)).isInstanceOf(ChannelException.class)
                .hasMessageContaining("stale socket file");
        BackgroundProcess p = track(PProcess.startPersistent(address, sendingUpTo(1)));
        try (Channel ch = p.connect()) {
            assertThat((Integer) ch.receive()).isZero();
        }
    }

    @Test
    void anAddressThatIsNotASocketIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "not a socket");
        assertThatThrownBy(() -> PProcess.startPersistent(file, sendingUpTo(1)))
                .isInstanceOf(PProcessException.class).hasMessageContaining("is not a socket");
        assertThatThrownBy(() -> PProcess.connectPersistent(file))
                .isInstanceOf(ChannelException.class).hasMessageContaining("is not a socket");
        assertThatThrownBy(() -> PProcess.connectPersistent(dir.resolve("missing.sock")))
                .isInstanceOf(ChannelException.class).hasMessageContaining("no such file");
    }

    @Test
    void somethingElseListeningIsNotTakenForAPersistentProcess() throws Exception {
        Path address = dir.resolve("http.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(address));
            Thread server = new Thread(() -> {
                try (SocketChannel peer = other.accept()) {
                    peer.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                    // Test server ending.
                }
            });
            server.start();
            assertThatThrownBy(() -> PProcess.connectPersistent(address))
                    .isInstanceOf(ChannelException.class)
                    .hasMessageContaining("is not a pprocess persistent process");
            server.join();
        }
    }

    @Test
    void garbageAndTruncatedClientsAreDroppedAndTheNextPeerIsServed() throws Exception {
        Path address = dir.resolve("robust.sock");
        Path log = dir.resolve("robust.log");
        track(PProcess.startPersistent(address, PersistentOptions.defaults().log(log), sendingUpTo(3)));
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(address))) {
            raw.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            readUntilClosed(raw);
        }
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(address))) {
            raw.write(ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 5).flip());
            readUntilClosed(raw);
        }
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(address))) {
            ByteBuffer truncated = ByteBuffer.allocate(15).putInt(100).put((byte) 3).put(new byte[10]).flip();
            raw.write(truncated);
        }
        try (Channel ch = PProcess.connectPersistent(address)) {
            assertThat((Integer) ch.receive()).isZero();
            assertThat((Integer) ch.receive()).isEqualTo(1);
            assertThat((Integer) ch.receive()).isEqualTo(2);
        }
        String logged = Files.readString(log);
        assertThat(logged).contains("dropped a peer that answered wrongly during the greeting");
    }

    /** Connects as a peer would, reads the greeting and answers it, then leaves the socket to the test. */
    private static SocketChannel handshaken(Path address) throws IOException {
        SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(address));
        ByteBuffer greeting = ByteBuffer.allocate(21);
        while (greeting.hasRemaining()) {
            if (raw.read(greeting) < 0) {
                throw new IOException("closed during the greeting");
            }
        }
        greeting.putLong(13, ProcessHandle.current().pid()).flip();
        raw.write(greeting);
        return raw;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aPeerThatSaysNothingDelaysNobody() throws Exception {
        Path address = dir.resolve("silent.sock");
        Path log = dir.resolve("silent.log");
        track(PProcess.startPersistent(address, PersistentOptions.defaults().log(log), c -> {
            c.send("result");
            Thread.sleep(60_000);
        }));
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(address))) {
            try (Channel ch = PProcess.connectPersistent(address)) {
                assertThat((String) ch.receive()).isEqualTo("result");
            }
            ByteBuffer sink = ByteBuffer.allocate(64);
            int n;
            do {
                sink.clear();
                n = silent.read(sink);
            } while (n > 0);
            assertThat(n).as("the silent peer is dropped after the handshake limit").isEqualTo(-1);
        }
        assertThat(Files.readString(log)).contains("did not answer the greeting within 5000 ms");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNewCollectorTakesOverFromOneThatDoesNotAcknowledge() throws Exception {
        Path address = dir.resolve("takeover.sock");
        track(PProcess.startPersistent(address, c -> c.send("result")));
        try (SocketChannel stuck = handshaken(address)) {
            try (Channel ch = PProcess.connectPersistent(address)) {
                assertThat((String) ch.receive()).isEqualTo("result");
            }
            ByteBuffer got = ByteBuffer.allocate(4096);
            while (stuck.read(got) >= 0) {
                assertThat(got.hasRemaining()).isTrue();
            }
            got.flip();
            int length = got.getInt(0);
            assertThat(got.get(4)).as("the message it never acknowledged").isEqualTo((byte) 3);
            assertThat(got.remaining()).as("followed by WITHDRAWN and the end").isEqualTo(5 + length + 5);
            assertThat(got.get(5 + length + 4)).isEqualTo((byte) 11);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNewPeerTakesOverFromOneThatSendsNothing() throws Exception {
        Path address = dir.resolve("mute.sock");
        track(PProcess.startPersistent(address, c -> c.send("got " + c.receive())));
        try (SocketChannel mute = handshaken(address); Channel ch = PProcess.connectPersistent(address)) {
            ch.send("x");
            assertThat((String) ch.receive()).isEqualTo("got x");
        }
    }

    @Test
    void aWithdrawnMessageIsNeverReceivedByTheSilentPeer() throws Exception {
        Path address = dir.resolve("withdrawn.sock");
        track(PProcess.startPersistent(address, c -> {
            c.send("one");
            c.send("two");
        }));
        try (Channel slow = PProcess.connectPersistent(address)) {
            assertThat((String) slow.receive()).isEqualTo("one");
            // "two" now waits in slow's socket, unacknowledged; a second peer makes it go there.
            try (Channel second = PProcess.connectPersistent(address)) {
                assertThat((String) second.receive()).isEqualTo("two");
            }
            assertThatThrownBy(slow::receive).isInstanceOf(ChannelException.class)
                    .hasMessageContaining("withdrew its message");
        }
    }

    @Test
    void twoStartsAtTheSameAddressAtOnceTellTheLoserWhatHappened() throws Exception {
        Path address = dir.resolve("race.sock");
        List<java.util.concurrent.CompletableFuture<BackgroundProcess>> starts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            starts.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> PProcess.startPersistent(address, c -> c.send("hi"))));
        }
        List<BackgroundProcess> winners = new ArrayList<>();
        List<Throwable> losers = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<BackgroundProcess> f : starts) {
            try {
                winners.add(track(f.get(30, TimeUnit.SECONDS)));
            } catch (java.util.concurrent.ExecutionException e) {
                losers.add(e.getCause());
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(losers).hasSize(1);
        assertThat(losers.get(0)).isInstanceOf(PProcessException.class)
                .hasMessageContaining(address.toAbsolutePath().toString())
                .message().matches(".*(in use by a live process|another process began listening there at the same moment).*");
        try (Channel ch = winners.get(0).connect()) {
            assertThat((String) ch.receive()).isEqualTo("hi");
        }
    }

    private static void readUntilClosed(SocketChannel raw) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (raw.read(sink) >= 0) {
            sink.clear();
        }
    }

    @Test
    void forgottenProcessEndsAfterItsIdleLimit() throws Exception {
        Path address = dir.resolve("idle.sock");
        BackgroundProcess p = track(PProcess.startPersistent(address,
                PersistentOptions.defaults().idleLimit(Duration.ofMillis(700)), sendingUpTo(1)));
        assertThat(Procs.awaitGone(p.pid(), 10_000)).isTrue();
        assertThat(address).doesNotExist();
    }

    @Test
    void persistentQueueStartsAndReconnects() {
        Path a = dir.resolve("q1.sock");
        Path b = dir.resolve("q2.sock");
        try (PersistentQueue<Integer> queue = new PersistentQueue<>(ExchangeOptions.defaults().limit(2))) {
            queue.start(a, PProcess.parallel((Integer n) -> n * 10), 1);
            queue.manage(b, PProcess.parallel((Integer n) -> n * 10)).accept(2);
            List<Integer> got = new ArrayList<>();
            queue.forEach(got::add);
            assertThat(got).containsExactlyInAnyOrder(10, 20);
        }
        Path c = dir.resolve("q3.sock");
        track(PProcess.startPersistent(c, sendingUpTo(2)));
        try (PersistentQueue<Integer> later = new PersistentQueue<>(ExchangeOptions.defaults().continuous(true))) {
            later.connect(c);
            List<Integer> got = new ArrayList<>();
            later.forEach(got::add);
            assertThat(got).containsExactly(0, 1);
        }
    }

    @Test
    void backgroundCallableAndQueue() {
        Path address = dir.resolve("bg.sock");
        BackgroundCallable<Integer> job = new BackgroundCallable<>(address, (Channel ch, Integer n) -> {
            for (int i = 0; i < n; i++) {
                ch.send("line " + i);
            }
        });
        track(job.call(4));
        List<String> got = new ArrayList<>();
        try (BackgroundQueue<String> queue = new BackgroundQueue<>(address)) {
            queue.forEach(got::add);
        }
        assertThat(got).containsExactly("line 0", "line 1", "line 2", "line 3");
    }

    @Test
    void closingAnExchangeLeavesPersistentProcessesRunning() {
        Path address = dir.resolve("keep.sock");
        long pid;
        try (PersistentExchange ex = new PersistentExchange(ExchangeOptions.defaults(), ch -> ch.receive())) {
            ex.start(address, sendingUpTo(2));
            pid = ex.active().get(0).pid();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
        try (Channel ch = PProcess.connectPersistent(address)) {
            assertThat((Integer) ch.receive()).isZero();
            assertThat((Integer) ch.receive()).isEqualTo(1);
        }
        track(new BackgroundProcess(address, pid));
    }
}
