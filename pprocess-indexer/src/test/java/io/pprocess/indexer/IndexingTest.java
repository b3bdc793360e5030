package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.FailedSlice;
import io.pprocess.indexer.Indexing.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndexingTest {

    @TempDir
    Path dir;

    private FileListing listing(int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("f" + i + ".txt"), "word" + i + "\nshared word\n");
        }
        return FileListing.list(dir, false, warning -> {
            throw new AssertionError(warning);
        });
    }

    @Test
    void indexesEverySliceWhenTheFirstWindowStartsTogetherAndReturnsOnceTheChildrenHaveEnded() throws IOException {
        FileListing listing = listing(5);
        Outcome outcome = Indexing.run(listing, listing.slices(1, 0), 3, Progress.silent());
        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.files()).isEqualTo(5);
        assertThat(outcome.index().places("shared")).containsOnlyKeys("f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt");
        assertThat(outcome.index().places("word3").get("f3.txt")).containsExactly(1);
        assertThat(PProcess.waitAll()).as("children still running").isZero();
    }

    @Test
    void reportsEachSliceWhoseChildCannotStartAndLeavesNoChildRunning() throws IOException {
        FileListing listing = listing(3);
        PProcess.setJvmOptions("-XX:+NoSuchOptionForThisTest");
        Outcome outcome;
        try {
            outcome = Indexing.run(listing, listing.slices(1, 0), 2, Progress.silent());
        } finally {
            PProcess.setJvmOptions();
        }
        assertThat(outcome.files()).isZero();
        assertThat(outcome.failed()).extracting(FailedSlice::slice).containsExactly(0, 1, 2);
        assertThat(outcome.failed()).allSatisfy(f ->
                assertThat(f.reason()).startsWith("could not start a child process: "));
        assertThat(PProcess.waitAll()).isZero();
    }
}
