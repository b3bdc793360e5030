package io.pprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sweep of rendezvous directories left by killed processes, in a directory of the test's own. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaleDirectoriesTest {

    @TempDir
    Path root;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.pid();
    }

    private Path transportDir(String name) throws IOException {
        return Files.createDirectory(root.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** A socket file nobody listens on, as a killed process leaves it. */
    private static void deadSocket(Path dir) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dir.resolve("p.sock")));
        }
    }

    @Test
    void removesOnlyDirectoriesOfDeadOwnersThatHoldNothingButTheirSocket() throws Exception {
        long dead = deadPid();
        Path stale = transportDir("pprocess-" + dead + "-123");
        deadSocket(stale);
        Path staleOld = transportDir("pprocess-4567");
        deadSocket(staleOld);
        Path live = transportDir("pprocess-" + ProcessHandle.current().pid() + "-99");
        deadSocket(live);
        Path extra = transportDir("pprocess-" + dead + "-7");
        deadSocket(extra);
        Files.writeString(extra.resolve("notes"), "not ours to remove");
        Path open = Files.createDirectory(root.resolve("pprocess-" + dead + "-8"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        deadSocket(open);
        Path otherName = transportDir("pprocess-bench-5");
        deadSocket(otherName);
        Path listening = transportDir("pprocess-777");
        Path recentEmpty = transportDir("pprocess-888");
        Path oldEmpty = transportDir("pprocess-999");
        Files.setLastModifiedTime(oldEmpty, FileTime.from(Instant.now().minusSeconds(3600)));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(listening.resolve("p.sock")));
            assertThat(StaleDirectories.sweep(root)).containsExactlyInAnyOrder(stale, staleOld, oldEmpty);
        }
        assertThat(stale).doesNotExist();
        assertThat(staleOld).doesNotExist();
        assertThat(oldEmpty).doesNotExist();
        assertThat(live.resolve("p.sock")).exists();
        assertThat(extra.resolve("notes")).exists();
        assertThat(open.resolve("p.sock")).exists();
        assertThat(otherName.resolve("p.sock")).exists();
        assertThat(listening.resolve("p.sock")).exists();
        assertThat(recentEmpty).exists();
    }

    @Test
    void aStartingListenerRemovesTheDirectoryOfAKilledProcess() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stale = Files.createDirectory(tmp.resolve("pprocess-" + deadPid() + "-" + System.nanoTime()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        deadSocket(stale);
        new SocketListener();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(stale) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stale).doesNotExist();
    }

    @Test
    void theListenerNamesItsDirectoryAfterItsPid() throws Exception {
        Path address = Path.of(new SocketListener().address());
        assertThat(address).exists();
        assertThat(address.getFileName()).hasToString(StaleDirectories.SOCKET);
        assertThat(address.getParent().getFileName().toString())
                .startsWith("pprocess-" + ProcessHandle.current().pid() + "-");
        assertThat(address.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).resolve(
                address.getParent().getFileName()));
    }
}
