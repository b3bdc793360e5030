package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PrefixIndexTest {
    private final PrefixIndex index = new PrefixIndex(List.of("a.txt", "b/c.txt", "d.txt"));

    private String print(String prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        index.print(prefix, out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsWordsSortedThenFilesInListOrderThenLines() {
        Batches.addTo(index, new String[] {"car", "cart", "dog"},
                new int[][] {{2, 2, 1, 5}, {2, 1, 9}, {2, 1, 1}});
        Batches.addTo(index, new String[] {"cart", "car", "cab"},
                new int[][] {{0, 3, 2, 3, 4}, {0, 1, 7, 1, 1, 4}, {1, 1, 3}});
        assertThat(print("ca")).isEqualTo(String.join("\n",
                "cab",
                "  b/c.txt: 3",
                "car",
                "  a.txt: 7",
                "  b/c.txt: 4",
                "  d.txt: 1 5",
                "cart",
                "  a.txt: 2 3 4",
                "  d.txt: 9",
                "3 words, 9 occurrences",
                ""));
        assertThat(index.wordCount()).isEqualTo(4);
    }

    @Test
    void usesSingularCounts() {
        Batches.addTo(index, new String[] {"one"}, new int[][] {{0, 1, 1}});
        assertThat(print("o")).isEqualTo("one\n  a.txt: 1\n1 word, 1 occurrence\n");
    }

    @Test
    void answersNoMatchWithZeroCounts() {
        Batches.addTo(index, new String[] {"one"}, new int[][] {{0, 1, 1}});
        assertThat(print("two")).isEqualTo("0 words, 0 occurrences\n");
        assertThat(print("onex")).isEqualTo("0 words, 0 occurrences\n");
    }

    @Test
    void matchesEveryWordWithAnEmptyPrefix() {
        Batches.addTo(index, new String[] {"b", "a"}, new int[][] {{0, 1, 1}, {1, 1, 2}});
        assertThat(index.wordsStartingWith("")).containsExactly("a", "b");
    }

    @Test
    void joinsLinesOfOneFileThatCameInSeveralBatches() {
        Batches.addTo(index, new String[] {"w"}, new int[][] {{1, 2, 1, 8}});
        Batches.addTo(index, new String[] {"w"}, new int[][] {{0, 1, 5}});
        Batches.addTo(index, new String[] {"w"}, new int[][] {{1, 3, 3, 8, 9}});
        assertThat(print("w")).isEqualTo("w\n  a.txt: 5\n  b/c.txt: 1 3 8 9\n1 word, 5 occurrences\n");
        assertThat(index.places("w")).containsOnlyKeys("a.txt", "b/c.txt");
        assertThat(index.places("w").get("b/c.txt")).containsExactly(1, 3, 8, 9);
    }

    @Test
    void findsWordsAddedAfterAQuery() {
        Batches.addTo(index, new String[] {"b"}, new int[][] {{0, 1, 1}});
        assertThat(index.wordsStartingWith("")).containsExactly("b");
        Batches.addTo(index, new String[] {"a"}, new int[][] {{0, 1, 1}});
        assertThat(index.wordsStartingWith("")).containsExactly("a", "b");
    }

    @Test
    void ordersNonAsciiWordsByCharValue() {
        Batches.addTo(index, new String[] {"zz", "ßa", "z"}, new int[][] {{0, 1, 1}, {0, 1, 1}, {0, 1, 1}});
        assertThat(index.wordsStartingWith("z")).containsExactly("z", "zz");
        assertThat(index.wordsStartingWith("ß")).containsExactly("ßa");
    }

    @Test
    void rejectsMalformedPlacesNamingTheWordWhenItIsRead() {
        Batches.addTo(index, new String[] {"w"}, new int[][] {{0, 3, 1}});
        assertThatThrownBy(() -> index.places("w"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("malformed places for word 'w' at index 0");
        Batches.addTo(index, new String[] {"v"}, new int[][] {{3, 1, 1}});
        assertThatThrownBy(() -> index.print("v", new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
                .hasMessage("malformed places for word 'v' at index 0");
        Batches.add(index, new String[] {"u"}, new int[] {2}, new byte[] {0, (byte) 0x81});
        assertThatThrownBy(() -> index.places("u"))
                .hasMessageStartingWith("malformed places for word 'u': malformed ints");
    }

    @Test
    void rejectsBatchesWhoseArraysDisagree() {
        assertThatThrownBy(() -> Batches.add(index, new String[] {"w", "x"}, new int[] {3}, new byte[] {0, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 words but 1 ends");
        assertThatThrownBy(() -> Batches.add(index, new String[] {"w", "x"}, new int[] {3, 7}, new byte[] {0, 1, 1, 0, 1, 2}))
                .hasMessage("end 7 of word 'x' is out of range 3..6");
    }

    @Test
    void findsAChildsWordsByTheirNumbers() {
        PrefixIndex.Source child = index.newSource();
        child.add(false, new String[] {"x", "y"}, new int[] {1}, new int[] {3}, new byte[] {0, 1, 2});
        child.add(false, new String[] {"z", "none"}, new int[] {2, 0}, new int[] {3, 6},
                new byte[] {1, 1, 4, 2, 1, 7});
        assertThat(index.wordsStartingWith("")).as("a word without places is not indexed").containsExactly("x", "y", "z");
        assertThat(index.places("x").get("d.txt")).containsExactly(7);
        assertThat(index.places("y").get("a.txt")).containsExactly(2);
        assertThat(index.places("z").get("b/c.txt")).containsExactly(4);
        assertThatThrownBy(() -> child.add(false, new String[0], new int[] {4}, new int[] {0}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("word number 4 is unknown (4 words known)");
        child.add(true, new String[] {"y"}, new int[] {0}, new int[] {3}, new byte[] {0, 1, 9});
        assertThat(index.places("y").get("a.txt")).containsExactly(2, 9);
        assertThatThrownBy(() -> child.add(false, new String[0], new int[] {1}, new int[] {0}, new byte[0]))
                .hasMessage("word number 1 is unknown (1 words known)");
    }

    @Test
    void keepsPlacesAddedAfterAWordWasRead() {
        Batches.addTo(index, new String[] {"w"}, new int[][] {{0, 1, 4}});
        assertThat(index.places("w").get("a.txt")).containsExactly(4);
        Batches.addTo(index, new String[] {"w"}, new int[][] {{0, 2, 2, 9}});
        assertThat(index.places("w").get("a.txt")).containsExactly(2, 4, 9);
    }

    @Test
    void readsEachWordsRangeOfASharedArray() {
        Batches.add(index, new String[] {"b", "a"}, new int[] {6, 9}, new byte[] {0, 1, 4, 2, 1, 6, 1, 1, 9});
        assertThat(index.places("b")).containsOnlyKeys("a.txt", "d.txt");
        assertThat(index.places("b").get("d.txt")).containsExactly(6);
        assertThat(index.places("a")).containsOnlyKeys("b/c.txt");
        assertThat(index.places("a").get("b/c.txt")).containsExactly(9);
    }
}
