package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.PProcess;
import io.pprocess.indexer.Indexing.FailedSlice;
import io.pprocess.indexer.Indexing.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(outcome.children()).isEqualTo(5);
        assertThat(outcome.mostAtOnce()).isBetween(1, 3);
        assertThat(outcome.mostStarting()).isBetween(1, Math.min(3, PProcess.numberOfCores()));
        assertThat(outcome.index().places("shared")).containsOnlyKeys("f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt");
        assertThat(outcome.index().places("word3").get("f3.txt")).containsExactly(1);
        assertThat(PProcess.waitAll()).as("children still running").isZero();
    }

    /** One child's single part and many children's parts, merged, make the same index and answers. */
    @Test
    void windowOneAndWindowFourGiveTheSameIndexAndAnswers() throws IOException {
        TestCorpus.write(dir);
        for (int i = 0; i < 6; i++) {
            TestCorpus.text(dir.resolve("sub/more" + i + ".txt"), "alpha zeta" + i + "\nshared\n\nalphabet beta " + i + "\n");
        }
        FileListing listing = FileListing.list(dir, true, warning -> {
        });
        Outcome one = Indexing.shared(listing, 1, 0, Progress.silent());
        Outcome four = Indexing.run(listing, listing.slices(3, 0), 4, Progress.silent());
        assertThat(one.failed()).isEmpty();
        assertThat(four.failed()).isEmpty();
        assertThat(four.files()).isEqualTo(one.files()).isEqualTo(listing.size() - 1);
        assertThat(four.bytes()).isEqualTo(one.bytes());
        assertThat(four.index().wordCount()).isEqualTo(one.index().wordCount());
        List<String> words = one.index().wordsStartingWith("");
        assertThat(four.index().wordsStartingWith("")).containsExactlyElementsOf(words);
        for (String word : words) {
            assertThat(four.index().blocks(word)).as(word).containsExactly(one.index().blocks(word));
        }
        for (String query : List.of("alp", "a", "", "zeta3", "alpha beta", "sha alph", "nothing")) {
            assertThat(answer(four, listing, query)).as(query).isEqualTo(answer(one, listing, query));
        }
        assertThat(answer(four, listing, "alphabet")).contains("sub/more5.txt: 4");
        assertThat(PProcess.waitAll()).isZero();
    }

    private static String answer(Outcome outcome, FileListing listing, String query) {
        StringBuilder sb = new StringBuilder();
        Answer.of(outcome.index(), new WordAnalyzer(), query, listing.names(), listing.aliases()).appendText(sb, 0);
        return sb.toString();
    }

    /**
     * More JVMs than cores starting at once would only take turns on them: a window above the
     * cores starts as many as the cores, and more only once the earlier ones have reported.
     */
    @Test
    void neverStartsMoreChildrenAtOnceThanCoresWhateverTheWindow() throws IOException {
        FileListing listing = listing(8);
        int cores = PProcess.numberOfCores();
        Outcome outcome = Indexing.run(listing, listing.slices(2, 150), cores + 2, Progress.silent());
        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.children()).isEqualTo(4);
        assertThat(outcome.files()).isEqualTo(8);
        assertThat(outcome.mostStarting()).isBetween(1, cores);
        assertThat(outcome.mostAtOnce()).isBetween(1, cores + 2);
        assertThat(Indexing.busyChildren(cores + 2)).isEqualTo(cores);
        assertThat(Indexing.busyChildren(1)).isEqualTo(1);
        assertThat(PProcess.waitAll()).isZero();
    }

    /** A small input does not pay for a second new JVM: one child asks for every piece. */
    @Test
    void sharedSlicesOfASmallInputStartOneNewChildAndIndexEveryFile() throws IOException {
        FileListing listing = listing(40);
        PProcess.keepWorkers(java.time.Duration.ZERO);
        Outcome outcome = Indexing.shared(listing, 4, 0, Progress.silent());
        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.files()).isEqualTo(40);
        assertThat(outcome.children()).isEqualTo(1);
        assertThat(outcome.index().places("shared")).hasSize(40);
        assertThat(outcome.index().places("word39").get("f39.txt")).containsExactly(1);
        assertThat(PProcess.waitAll()).isZero();
    }

    @Test
    void whenTheOnlyChildCannotStartEveryFileOfSharedSlicesFailsWithItsError() throws IOException {
        FileListing listing = listing(3);
        PProcess.setJvmOptions("-XX:+NoSuchOptionForThisTest");
        Outcome outcome;
        try {
            outcome = Indexing.shared(listing, 2, 0, Progress.silent());
        } finally {
            PProcess.setJvmOptions();
        }
        assertThat(outcome.files()).isZero();
        assertThat(outcome.failedFiles()).isEqualTo(3);
        assertThat(outcome.failed()).allSatisfy(f ->
                assertThat(f.reason()).startsWith("could not start a child process: "));
        assertThat(PProcess.waitAll()).isZero();
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
