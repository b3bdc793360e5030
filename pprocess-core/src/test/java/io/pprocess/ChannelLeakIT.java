package io.pprocess;

import io.pprocess.internal.spawn.Transports;
import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.testing.LeakParent;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many start/receive cycles leave the parent's descriptors, threads and zombies where they
 * began. {@code -Dpprocess.leakCycles} sets the number of cycles (1,000 by default).
 *
 * <p>The parent is a JVM of its own ({@link LeakParent}) whose class path is made of jars
 * only (the module's jar, its tests jar and the dependencies), as a deployed program's is, so
 * its children start from a class-data-sharing archive.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChannelLeakIT {

    @Test
    void thousandCyclesLeakNothing() throws Exception {
        int cycles = Integer.getInteger("pprocess.leakCycles", 1000);
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-Dpprocess.transport=" + Transports.configuredName());
        cmd.add("-cp");
        cmd.add(jarClassPath());
        cmd.add(LeakParent.class.getName());
        cmd.add(Integer.toString(cycles));
        Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.print(out);
        assertThat(parent.exitValue()).as(out).isZero();
        String[] before = line(out, "before ");
        String[] after = line(out, "after ");
        assertThat(after[0]).as("open descriptors; %s", out).isEqualTo(before[0]);
        assertThat(Integer.parseInt(after[1])).as("threads").isLessThanOrEqualTo(Integer.parseInt(before[1]));
        assertThat(after[2]).as("zombie children").isEqualTo("0");
        assertThat(after[3]).as("children still running").isEqualTo("0");
    }

    private static String[] line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in: " + out))
                .substring(prefix.length()).trim().split(" ");
    }

    /** @return the module's tests jar (made in the package phase), or null if there is none */
    private static Path testsJar() {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("pprocess-core-.*-tests\\.jar"))
                    .map(Path::toAbsolutePath).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The test class path with the test classes directory replaced by the tests jar. */
    private static String jarClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path testsJar = testsJar();
        List<String> entries = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p) && p.endsWith(Path.of("target", "test-classes")) && testsJar != null) {
                entries.add(testsJar.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
