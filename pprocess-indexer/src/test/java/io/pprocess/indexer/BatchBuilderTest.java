package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.indexer.Messages.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BatchBuilderTest {
    private final List<Batch> sent = new ArrayList<>();
    private final BatchBuilder builder = new BatchBuilder(sent::add);

    private void add(String word, int line) {
        builder.add(word.toCharArray(), word.length(), line);
    }

    @Test
    void gathersBlocksPerWordWithDistinctAscendingLines() {
        builder.startFile(3);
        add("b", 1);
        add("a", 1);
        add("b", 1);
        add("b", 4);
        builder.endFile(10);
        builder.startFile(7);
        add("b", 2);
        add("b", 1);
        builder.endFile(20);
        builder.flush();
        assertThat(sent).hasSize(1);
        Batch batch = sent.get(0);
        assertThat(Batches.names(sent, 0)).containsExactly("b", "a");
        assertThat(Batches.places(batch)).isDeepEqualTo(new int[][] {{3, 2, 1, 4, 7, 2, 1, 2}, {3, 1, 1}});
        assertThat(batch.files()).containsExactly(3, 7);
        assertThat(batch.bytes()).containsExactly(10L, 20L);
    }

    @Test
    void dropsTheWordsOfAnAbandonedFile() {
        builder.startFile(0);
        add("kept", 1);
        builder.endFile(5);
        builder.startFile(1);
        add("kept", 2);
        add("gone", 2);
        builder.abandonFile();
        builder.startFile(2);
        add("kept", 3);
        builder.endFile(6);
        builder.flush();
        Batch batch = sent.get(0);
        assertThat(Batches.names(sent, 0)).containsExactly("kept");
        assertThat(Batches.places(batch)).isDeepEqualTo(new int[][] {{0, 1, 1, 2, 1, 3}});
        assertThat(batch.files()).containsExactly(0, 2);
    }

    @Test
    void sendsABatchAtTheEndOfAFileOnceEnoughHasGathered() {
        builder.startFile(0);
        for (int line = 1; line <= BatchBuilder.FLUSH_PLACES; line++) {
            add("w", line);
        }
        assertThat(sent).isEmpty();
        builder.endFile(1);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).files()).containsExactly(0);
        builder.finish(sent::add);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).words()).isEmpty();
        assertThat(sent.get(1).files()).isEmpty();
    }

    @Test
    void splitsAHugeFileAcrossBatchesThatTheIndexJoins() {
        builder.startFile(0);
        for (int line = 1; line <= BatchBuilder.HARD_PLACES; line++) {
            add("w", line);
        }
        add("x", BatchBuilder.HARD_PLACES);
        builder.endFile(1);
        builder.flush();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).files()).isEmpty();
        assertThat(sent.get(1).files()).containsExactly(0);
        PrefixIndex index = new PrefixIndex(List.of("f"));
        for (Batch b : sent) {
            Batches.addTo(index, b);
        }
        int[] lines = index.places("w").get("f");
        assertThat(lines).hasSize(BatchBuilder.HARD_PLACES);
        assertThat(lines[0]).isEqualTo(1);
        assertThat(lines[lines.length - 1]).isEqualTo(BatchBuilder.HARD_PLACES);
        assertThat(index.places("x").get("f")).containsExactly(BatchBuilder.HARD_PLACES);
    }

    @Test
    void insertsALineThatComesOutOfOrder() {
        builder.startFile(0);
        add("w", 5);
        add("w", 9);
        add("w", 2);
        add("w", 9);
        add("w", 5);
        builder.endFile(1);
        builder.flush();
        assertThat(Batches.places(sent.get(0))).isDeepEqualTo(new int[][] {{0, 3, 2, 5, 9}});
    }

    @Test
    void agreesWithASimpleModelOnManyWordsFilesAndAbandonedFiles() {
        java.util.Random random = new java.util.Random(42);
        java.util.Map<String, java.util.TreeMap<Integer, java.util.TreeSet<Integer>>> expected = new java.util.TreeMap<>();
        for (int f = 0; f < 200; f++) {
            builder.startFile(f);
            boolean abandon = random.nextInt(10) == 0;
            java.util.Map<String, java.util.TreeMap<Integer, java.util.TreeSet<Integer>>> target =
                    abandon ? new java.util.TreeMap<>() : expected;
            int line = 1;
            for (int t = 0; t < 500; t++) {
                line += random.nextInt(3) == 0 ? 1 : 0;
                String word = "w" + (int) Math.abs(random.nextGaussian() * 3000);
                add(word, line);
                target.computeIfAbsent(word, k -> new java.util.TreeMap<>())
                        .computeIfAbsent(f, k -> new java.util.TreeSet<>()).add(line);
            }
            if (abandon) {
                builder.abandonFile();
            } else {
                builder.endFile(500);
            }
        }
        builder.flush();
        PrefixIndex index = new PrefixIndex(fileNames(200));
        for (Batch b : sent) {
            Batches.addTo(index, b);
        }
        assertThat(index.wordsStartingWith("")).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            java.util.Map<String, int[]> places = index.places(e.getKey());
            assertThat(places).hasSameSizeAs(e.getValue());
            for (var fileLines : e.getValue().entrySet()) {
                assertThat(places.get("f" + fileLines.getKey()))
                        .containsExactly(fileLines.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    @Test
    void sendsAtTheEndOfAFileOnlyOnceTheFlushLimitIsReachedCountingDistinctPlaces() {
        BatchBuilder small = new BatchBuilder(sent::add, 3, 100, 100);
        small.startFile(0);
        small.add("a".toCharArray(), 1, 1);
        small.add("a".toCharArray(), 1, 1);
        small.add("b".toCharArray(), 1, 1);
        small.endFile(1);
        assertThat(sent).isEmpty();
        small.startFile(1);
        small.add("a".toCharArray(), 1, 2);
        assertThat(sent).isEmpty();
        small.endFile(2);
        assertThat(sent).hasSize(1);
        assertThat(Batches.names(sent, 0)).containsExactly("a", "b");
        assertThat(Batches.places(sent.get(0))).isDeepEqualTo(new int[][] {{0, 1, 1, 1, 1, 2}, {0, 1, 1}});
        assertThat(sent.get(0).files()).containsExactly(0, 1);
        assertThat(sent.get(0).bytes()).containsExactly(1L, 2L);
    }

    @Test
    void keepsLinesThatComeOutOfOrderAcrossAFlushInTheMiddleOfAFile() {
        BatchBuilder small = new BatchBuilder(sent::add, 100, 3, 100);
        small.startFile(0);
        for (int line : new int[] {5, 9, 2, 9, 5, 1, 7}) {
            small.add("w".toCharArray(), 1, line);
        }
        small.endFile(1);
        small.flush();
        assertThat(sent).hasSize(3);
        assertThat(Batches.places(sent.get(0))).isDeepEqualTo(new int[][] {{0, 3, 2, 5, 9}});
        assertThat(sent.get(0).files()).isEmpty();
        PrefixIndex index = new PrefixIndex(List.of("f"));
        for (Batch b : sent) {
            Batches.addTo(index, b);
        }
        assertThat(index.places("w").get("f")).containsExactly(1, 2, 5, 7, 9);
    }

    @Test
    void dropsOnlyTheUnsentPartOfAFileAbandonedAfterAFlushInItsMiddle() {
        BatchBuilder small = new BatchBuilder(sent::add, 100, 2, 100);
        small.startFile(0);
        small.add("sent".toCharArray(), 4, 1);
        small.add("sent".toCharArray(), 4, 2);
        small.add("unsent".toCharArray(), 6, 3);
        small.abandonFile();
        small.startFile(1);
        small.add("next".toCharArray(), 4, 1);
        small.endFile(3);
        small.flush();
        assertThat(sent).hasSize(2);
        assertThat(Batches.names(sent, 0)).containsExactly("sent");
        assertThat(Batches.names(sent, 1)).containsExactly("next");
        assertThat(Batches.places(sent.get(1))).isDeepEqualTo(new int[][] {{1, 1, 1}});
        assertThat(sent.get(1).files()).containsExactly(1);
    }

    @Test
    void givesTheSameIndexWhenTheWordTableIsEmptiedAfterEachBatch() {
        List<Batch> kept = new ArrayList<>();
        BatchBuilder keeping = new BatchBuilder(kept::add, 5, 7, 1_000);
        BatchBuilder forgetting = new BatchBuilder(sent::add, 5, 7, 1);
        java.util.Random random = new java.util.Random(7);
        for (int f = 0; f < 30; f++) {
            keeping.startFile(f);
            forgetting.startFile(f);
            int line = 1;
            for (int t = 0; t < 40; t++) {
                line += random.nextInt(4) == 0 ? 1 : 0;
                char[] word = ("w" + random.nextInt(12)).toCharArray();
                keeping.add(word, word.length, line);
                forgetting.add(word, word.length, line);
            }
            keeping.endFile(40);
            forgetting.endFile(40);
        }
        keeping.flush();
        forgetting.flush();
        PrefixIndex expected = new PrefixIndex(fileNames(30));
        kept.forEach(b -> Batches.addTo(expected, b));
        PrefixIndex actual = new PrefixIndex(fileNames(30));
        sent.forEach(b -> Batches.addTo(actual, b));
        assertThat(actual.wordsStartingWith("")).isEqualTo(expected.wordsStartingWith("")).hasSize(12);
        for (String word : expected.wordsStartingWith("")) {
            assertThat(actual.places(word)).usingRecursiveComparison().isEqualTo(expected.places(word));
        }
    }

    @Test
    void agreesWithASimpleModelWithSmallLimitsAndLinesOutOfOrder() {
        BatchBuilder small = new BatchBuilder(sent::add, 11, 37, 50);
        java.util.Random random = new java.util.Random(3);
        java.util.Map<String, java.util.TreeMap<Integer, java.util.TreeSet<Integer>>> expected = new java.util.TreeMap<>();
        java.util.Set<Integer> abandoned = new java.util.HashSet<>();
        for (int f = 0; f < 60; f++) {
            small.startFile(f);
            boolean abandon = random.nextInt(8) == 0;
            int line = 1;
            for (int t = 0; t < 80; t++) {
                line += random.nextInt(3) == 0 ? 1 : 0;
                int at = random.nextInt(10) == 0 ? 1 + random.nextInt(line) : line;
                String word = "w" + random.nextInt(200);
                small.add(word.toCharArray(), word.length(), at);
                expected.computeIfAbsent(word, k -> new java.util.TreeMap<>())
                        .computeIfAbsent(f, k -> new java.util.TreeSet<>()).add(at);
            }
            if (abandon) {
                small.abandonFile();
                abandoned.add(f);
            } else {
                small.endFile(80);
            }
        }
        small.flush();
        PrefixIndex index = new PrefixIndex(fileNames(60));
        List<Integer> completed = new ArrayList<>();
        for (Batch b : sent) {
            Batches.addTo(index, b);
            for (int file : b.files()) {
                completed.add(file);
            }
        }
        assertThat(abandoned).isNotEmpty();
        assertThat(completed).doesNotContainAnyElementsOf(abandoned).hasSize(60 - abandoned.size()).isSorted();
        for (var e : expected.entrySet()) {
            java.util.Map<String, int[]> places = index.places(e.getKey());
            for (var fileLines : e.getValue().entrySet()) {
                int[] want = fileLines.getValue().stream().mapToInt(Integer::intValue).toArray();
                int[] got = places.getOrDefault("f" + fileLines.getKey(), new int[0]);
                if (abandoned.contains(fileLines.getKey())) {
                    for (int line : got) {
                        assertThat(want).as("lines of abandoned file %s", fileLines.getKey()).contains(line);
                    }
                } else {
                    assertThat(got).as("%s in f%s", e.getKey(), fileLines.getKey()).containsExactly(want);
                }
            }
        }
    }

    @Test
    void keepsTheWordsOfAFileThatComeAfterAnExplicitFlushInItsMiddle() {
        builder.startFile(2);
        add("a", 1);
        builder.flush();
        add("a", 1);
        add("b", 3);
        builder.endFile(9);
        builder.flush();
        assertThat(sent).hasSize(2);
        assertThat(Batches.places(sent.get(0))).isDeepEqualTo(new int[][] {{2, 1, 1}});
        assertThat(sent.get(0).files()).isEmpty();
        assertThat(Batches.names(sent, 1)).containsExactly("b");
        assertThat(Batches.places(sent.get(1))).isDeepEqualTo(new int[][] {{2, 1, 3}});
        assertThat(sent.get(1).files()).containsExactly(2);
    }

    @Test
    void refusesAWordOutsideAFile() {
        assertThatThrownBy(() -> add("early", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no file started: a word comes before startFile or after endFile");
        builder.startFile(0);
        builder.endFile(1);
        assertThatThrownBy(() -> add("late", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> new BatchBuilder(sent::add, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limits out of range: flushPlaces 0, hardPlaces 1, maxKeptWords 1");
    }

    @Test
    void refusesFileNumbersThatDoNotIncrease() {
        builder.startFile(4);
        assertThatThrownBy(() -> builder.startFile(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file numbers must increase: 4 after 4");
    }

    /** @return the display names {@code f0, f1, ...} of {@code n} files */
    private static List<String> fileNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            names.add("f" + f);
        }
        return names;
    }

    @Test
    void sendsTheTextOfAWordOnceAndItsNumberAfterwards() {
        builder.startFile(0);
        add("old", 1);
        builder.endFile(4);
        builder.flush();
        builder.startFile(1);
        add("new", 1);
        add("old", 2);
        builder.endFile(8);
        builder.flush();
        assertThat(sent.get(0).newWords()).containsExactly("old");
        assertThat(sent.get(0).words()).containsExactly(0);
        assertThat(sent.get(1).newWords()).containsExactly("new");
        assertThat(sent.get(1).words()).containsExactly(1, 0);
        assertThat(sent.get(1).renumbered()).isFalse();
    }

    @Test
    void numbersWordsAnewAfterEmptyingItsTable() {
        List<Batch> out = new ArrayList<>();
        BatchBuilder small = new BatchBuilder(out::add, 1, 100, 1);
        small.startFile(0);
        small.add("a".toCharArray(), 1, 1);
        small.add("b".toCharArray(), 1, 1);
        small.endFile(4);
        small.startFile(1);
        small.add("b".toCharArray(), 1, 1);
        small.endFile(2);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).renumbered()).isFalse();
        assertThat(out.get(1).renumbered()).isTrue();
        assertThat(out.get(1).newWords()).containsExactly("b");
        assertThat(out.get(1).words()).containsExactly(0);
        assertThat(Batches.names(out, 1)).containsExactly("b");
    }
}
