package io.pprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins a child JVM's exit statuses: parents (and users reading them) depend on the numbers. */
class ExitStatusTest {

    @Test
    void theStatusesAreFixed() {
        assertThat(ExitStatus.OK).isZero();
        assertThat(ExitStatus.TASK_FAILED).isEqualTo(1);
        assertThat(ExitStatus.NO_PARENT).isEqualTo(2);
        assertThat(ExitStatus.OUT_OF_MEMORY).as("the status of -XX:+ExitOnOutOfMemoryError").isEqualTo(3);
        assertThat(ExitStatus.IDLE).isEqualTo(4);
    }

    @Test
    void theReferenceGivesEachStatus() throws IOException {
        String reference = Files.readString(Path.of("..", "docs", "reference.md"));
        assertThat(reference).contains("exits with status 0 when", "or 1 when the task throws",
                "exits at once with status 3", "exits with status 4", "exits with status 2");
    }
}
