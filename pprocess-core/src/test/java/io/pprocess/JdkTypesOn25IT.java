package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK types round trip with a parent and children on JDK 25 (Temurin 25, where the
 * machine has it), with no JVM option given.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdkTypesOn25IT {
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** The parent program run under JDK 25. */
    public static final class Main {
        private Main() {
        }

        /**
         * Runs the contract test's round trip.
         *
         * @param args unused
         */
        public static void main(String[] args) {
            new JdkTypesContractTest().jdkValuesCapturedByATaskComeBackEqual();
            System.out.println("java " + Runtime.version().feature() + " round trip ok");
        }
    }

    @Test
    void jdkValuesRoundTripOnJdk25() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(JAVA_25), "no JDK 25 at " + JAVA_25);
        Process parent = new ProcessBuilder(List.of(JAVA_25.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName())).redirectErrorStream(true).start();
        String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).as(output).isZero();
        assertThat(output).contains("java 25 round trip ok");
    }
}
