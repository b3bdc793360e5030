package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PrefixIndexTest {
    private final PrefixIndex index = new PrefixIndex(NAMES);

    private static final List<String> NAMES = List.of("a.txt", "b/c.txt", "d.txt");

    private String print(String prefix) {
        StringBuilder sb = new StringBuilder();
        Answer.of(index, new WordAnalyzer(), prefix, NAMES, List.of(List.of(), List.of(), List.of())).appendText(sb, 0);
        return sb.toString();
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
                "3 words on 9 lines in 3 files",
                ""));
        assertThat(index.wordCount()).isEqualTo(4);
    }

    @Test
    void usesSingularCounts() {
        Batches.addTo(index, new String[] {"one"}, new int[][] {{0, 1, 1}});
        assertThat(print("o")).isEqualTo("one\n  a.txt: 1\n1 word on 1 line in 1 file\n");
    }

    @Test
    void answersNoMatchWithZeroCounts() {
        Batches.addTo(index, new String[] {"one"}, new int[][] {{0, 1, 1}});
        assertThat(print("two")).isEqualTo("0 words on 0 lines in 0 files\n");
        assertThat(print("onex")).isEqualTo("0 words on 0 lines in 0 files\n");
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
        assertThat(print("w")).isEqualTo("w\n  a.txt: 5\n  b/c.txt: 1 3 8 9\n1 word on 5 lines in 2 files\n");
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
        assertThatThrownBy(() -> print("v"))
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
    void findsAChildsWordsByTheirNumbersAcrossItsParts() {
        Batches.Child kid = new Batches.Child();
        SliceIndex child = kid.index;
        child.add(false, new String[] {"x", "y"}, new int[] {1}, new int[] {3}, new byte[] {0, 1, 2});
        child.add(false, new String[] {"z", "none"}, new int[] {2, 0}, new int[] {3, 6},
                new byte[] {1, 1, 4, 2, 1, 7});
        kid.take().addTo(index);
        assertThat(index.wordsStartingWith("")).as("a word without places is not indexed").containsExactly("x", "y", "z");
        assertThat(index.places("x").get("d.txt")).containsExactly(7);
        assertThat(index.places("y").get("a.txt")).containsExactly(2);
        assertThat(index.places("z").get("b/c.txt")).containsExactly(4);
        assertThatThrownBy(() -> child.add(false, new String[0], new int[] {4}, new int[] {0}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("word number 4 is unknown (4 words known)");
        child.add(true, new String[] {"y"}, new int[] {0}, new int[] {3}, new byte[] {0, 1, 9});
        child.add(false, new String[] {"x"}, new int[] {1}, new int[] {3}, new byte[] {2, 1, 1});
        kid.take().addTo(index);
        assertThat(index.wordsStartingWith("")).containsExactly("x", "y", "z");
        assertThat(index.places("y").get("a.txt")).containsExactly(2, 9);
        assertThat(index.places("x")).containsOnlyKeys("d.txt");
        assertThat(index.places("x").get("d.txt")).containsExactly(1, 7);
        assertThatThrownBy(() -> child.add(false, new String[0], new int[] {2}, new int[] {0}, new byte[0]))
                .hasMessage("word number 2 is unknown (2 words known)");
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
