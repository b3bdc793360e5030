package io.pprocess;

import io.pprocess.internal.spawn.Transports;
import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.testing.OrphanParent;
import io.pprocess.testing.Procs;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A parent killed with SIGKILL leaves no children (nor spares) behind. Runs once per transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrphanContractTest {

    /**
     * The parent's temporary directory: a parent killed with SIGKILL cannot remove its socket
     * transport's directory, so it is made here and deleted with the test's.
     */
    @TempDir
    Path parentTemp;

    /**
     * ... and they exit rather than halt, so that their JVMs' own work at exit is done (a
     * flight recording started with the children's options removes its repository in the
     * temporary directory only then): each child's shutdown hook has run.
     */
    @Test
    void childrenEndWithinTwoSecondsOfTheirParentsDeath() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path hooks = Files.createDirectory(parentTemp.resolve("hooks"));
        Process parent = new ProcessBuilder(java, "-Dpprocess.transport=" + Transports.configuredName(),
                "-Djava.io.tmpdir=" + parentTemp,
                "-cp", System.getProperty("java.class.path"), OrphanParent.class.getName(), "3", hooks.toString())
                .redirectErrorStream(true)
                .start();
        List<Long> children = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                if (line.startsWith("child ")) {
                    children.add(Long.parseLong(line.substring(6).trim()));
                }
            }
            assertThat(children).hasSize(3);
            List<Long> withHooks = new ArrayList<>(children);
            List<Long> all = parent.toHandle().children().map(ProcessHandle::pid).collect(Collectors.toList());
            assertThat(all).as("children and spares").containsAll(children).hasSizeGreaterThanOrEqualTo(5);
            children.clear();
            children.addAll(all);
            for (long pid : children) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
            }
            parent.destroyForcibly();
            parent.waitFor(5, TimeUnit.SECONDS);
            long killedAt = System.nanoTime();
            for (long pid : children) {
                long left = 2000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertThat(Procs.awaitGone(pid, Math.max(0, left)))
                        .as("child %d still alive 2 s after its parent was killed", pid).isTrue();
            }
            for (long pid : withHooks) {
                assertThat(hooks.resolve(Long.toString(pid))).as("the shutdown hook of child %d ran", pid).exists();
            }
        } finally {
            parent.destroyForcibly();
            for (long pid : children) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
