package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code pprocess-workers} command: its usage, its exit statuses, its listing, and that the
 * launcher script runs this public class.
 */
@Timeout(30)
class KeptWorkersCommandTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownOptionOrASecondArgumentIsAUsageErrorWithStatusTwo() {
        assertThat(KeptWorkersCommand.run(List.of("--kill"), out, err)).isEqualTo(KeptWorkersCommand.EXIT_USAGE)
                .isEqualTo(2);
        assertThat(err()).isEqualTo("usage: pprocess-workers [--list | --stop]" + System.lineSeparator());
        assertThat(out()).isEmpty();
        errBytes.reset();
        assertThat(KeptWorkersCommand.run(List.of("--list", "--stop"), out, err)).isEqualTo(2);
        assertThat(err()).startsWith("usage: pprocess-workers");
    }

    @Test
    void helpPrintsTheUsageAndTheDirectory() {
        assertThat(KeptWorkersCommand.run(List.of("--help"), out, err)).isEqualTo(KeptWorkersCommand.EXIT_OK)
                .isZero();
        assertThat(out()).startsWith("usage: pprocess-workers [--list | --stop]")
                .contains(PProcess.keptWorkersBaseDirectory().toString());
        assertThat(err()).isEmpty();
    }

    @Test
    void listingIsTheDefaultAndEndsWithTheCountAndTheDirectory() {
        assertThat(KeptWorkersCommand.run(List.of(), out, err)).isZero();
        String[] lines = out().split(System.lineSeparator());
        String last = lines[lines.length - 1];
        Matcher count = Pattern.compile("(\\d+) kept workers? in (.+)").matcher(last);
        assertThat(count.matches()).as(last).isTrue();
        assertThat(count.group(2)).isEqualTo(PProcess.keptWorkersBaseDirectory().toString());
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i]).matches("pid \\d+  (busy|idle, ends in .+)  jobs \\d+  build .+");
        }
        assertThat(err()).isEmpty();
    }

    @Test
    void durationsAreWrittenAsAPersonReadsThem() {
        assertThat(KeptWorkersCommand.human(Duration.ofSeconds(12))).isEqualTo("12 s");
        assertThat(KeptWorkersCommand.human(Duration.ofMillis(11_001))).isEqualTo("12 s");
        assertThat(KeptWorkersCommand.human(Duration.ofSeconds(270))).isEqualTo("4 min 30 s");
        assertThat(KeptWorkersCommand.human(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(KeptWorkersCommand.human(Duration.ofMinutes(65))).isEqualTo("1 h 5 min");
        assertThat(KeptWorkersCommand.human(Duration.ofSeconds(-3))).isEqualTo("0 s");
    }

    @Test
    void theLauncherScriptRunsThisPublicClass() throws IOException, ReflectiveOperationException {
        String script = Files.readString(Path.of("..", "bin", "pprocess-workers"));
        Matcher launched = Pattern.compile("-cp \"\\$cp\" (\\S+) \"\\$@\"").matcher(script);
        assertThat(launched.find()).as("bin/pprocess-workers runs a class").isTrue();
        assertThat(launched.group(1)).isEqualTo(KeptWorkersCommand.class.getName());
        Method main = Class.forName(launched.group(1)).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())).isTrue();
        assertThat(Modifier.isPublic(KeptWorkersCommand.class.getModifiers())).isTrue();
        assertThat(KeptWorkersCommand.class.getPackageName()).isEqualTo("io.pprocess");
    }
}
