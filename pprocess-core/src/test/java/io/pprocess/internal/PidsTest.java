package io.pprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PidsTest {

    @Test
    void theStateIsReadAfterTheLastParenthesisOfTheCommandName() {
        assertThat(Pids.running("4242 (java) S 1 4242 4242 0 -1")).isTrue();
        assertThat(Pids.running("4242 (a) Z (b)) R 1 4242")).as("a command named 'a) Z (b)'").isTrue();
        assertThat(Pids.running("4242 (sleep) Z 1 4242")).isFalse();
        assertThat(Pids.running("4242 (sleep) X 1 4242")).isFalse();
        assertThatThrownBy(() -> Pids.running("garbage")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a /proc stat line");
    }

    @Test
    void thisProcessRunsAndNoProcessHasPidZeroOrAFreeNumber() throws Exception {
        assertThat(Pids.running(ProcessHandle.current().pid())).isTrue();
        assertThat(Pids.running(0)).isFalse();
        assertThat(Pids.running(-5)).isFalse();
        assertThat(Pids.awaitEnd(ProcessHandle.current().pid(), 0)).as("just looks").isFalse();
        assertThat(Pids.awaitEnd(ProcessHandle.current().pid(), 30)).as("waits, then gives up").isFalse();
    }

    @Test
    void aZombieHasEnded() throws Exception {
        // The shell's background child exits after 0.3 s; the shell has become `sleep`, which never
        // reaps it, so it stays a zombie until `sleep` itself ends.
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.3 & echo $!; exec sleep 20").start();
        try {
            long pid;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                pid = Long.parseLong(r.readLine().trim());
                assertThat(Pids.awaitEnd(pid, 10_000)).as("the zombie %d has ended", pid).isTrue();
                assertThat(Pids.running(pid)).isFalse();
                assertThat(Files.exists(Path.of("/proc", Long.toString(pid)))).as("%d is not reaped", pid).isTrue();
            }
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
