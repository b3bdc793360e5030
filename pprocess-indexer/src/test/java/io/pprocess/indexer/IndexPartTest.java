package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.indexer.Messages.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IndexPartTest {

    private static Batches.Part part(String[] words, int[][] places, int[] files, long[] bytes) {
        Batches.Child child = new Batches.Child();
        int[] numbers = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            numbers[i] = i;
        }
        int[] ends = Batches.ends(places);
        child.index.add(new Batch(false, words, numbers, ends, Batches.packed(places, ends), files, bytes));
        return child.take();
    }

    @Test
    void keysSortAsTheirWordsAndKeepPrefixes() {
        String[] words = {"", "a", "ab", "b", "z", "zz", "ß", "ßa", "é", "\u07ff", "\u0800", "\ud7ff",
            "\ud83d\ude00", "\ud83d\ude00x", "\ue000", "\uffff", "ａ"};
        for (String a : words) {
            byte[] ka = IndexPart.key(a);
            assertThat(IndexPart.decodeKey(ka, 0, ka.length)).isEqualTo(a);
            assertThat(ka).hasSize(IndexPart.keySize(a));
            for (String b : words) {
                byte[] kb = IndexPart.key(b);
                assertThat(Integer.signum(Arrays.compareUnsigned(ka, kb))).as(a + " vs " + b)
                        .isEqualTo(Integer.signum(a.compareTo(b)));
                boolean prefix = kb.length >= ka.length && Arrays.equals(kb, 0, ka.length, ka, 0, ka.length);
                assertThat(prefix).as(a + " prefix of " + b).isEqualTo(b.startsWith(a));
            }
        }
    }

    @Test
    void readsWhatAChildWroteSortedWithItsFilesAndSizes() {
        IndexPart part = part(new String[] {"zeta", "alpha", "été"}, new int[][] {{0, 1, 3}, {0, 2, 1, 2, 5, 1, 9}, {5, 1, 1}},
                new int[] {0, 5, 300}, new long[] {10, 0, 5L << 32 | 7}).read(301);
        assertThat(part.files()).containsExactly(0, 5, 300);
        assertThat(part.bytes()).containsExactly(10L, 0L, 5L << 32 | 7);
        assertThat(part.size()).isEqualTo(3);
        assertThat(List.of(part.word(0), part.word(1), part.word(2))).containsExactly("alpha", "zeta", "été");
        assertThat(part.places(0)).containsExactly(0, 2, 1, 2, 5, 1, 9);
        assertThat(part.places(2)).containsExactly(5, 1, 1);
    }

    @Test
    void rejectsMalformedPartsNamingTheProblem() {
        Batches.Part made = part(new String[] {"a", "b"}, new int[][] {{0, 1, 1}, {1, 1, 2}}, new int[] {0, 1},
                new long[] {3, 4});
        byte[] data = made.data();
        byte[][] chunks = made.chunks();
        assertThat(chunks).hasDimensions(1, 6);
        assertThat(IndexPart.read(data, chunks, 2).size()).isEqualTo(2);
        assertThatThrownBy(() -> IndexPart.read(data, chunks, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file number 1 out of order or range (files: 1)");
        assertThatThrownBy(() -> IndexPart.read(data, new byte[0][], 2))
                .hasMessage("the part names 1 arrays of places, 0 came before it");
        assertThatThrownBy(() -> IndexPart.read(data, new byte[][] {new byte[5]}, 2))
                .hasMessage("range 0 of word 1 is outside the arrays of places (array 0 of 1, bytes 3..6)");
        assertThatThrownBy(() -> IndexPart.read(Arrays.copyOf(data, data.length - 1), chunks, 2))
                .hasMessage("the part ends inside a number at byte " + (data.length - 1));
        assertThatThrownBy(() -> IndexPart.read(Arrays.copyOf(data, data.length + 1), chunks, 2))
                .hasMessage("1 bytes after the last word");
        assertThatThrownBy(() -> IndexPart.read(new byte[] {(byte) 0x81}, chunks, 2))
                .hasMessage("the part ends inside a number at byte 1");
        byte[][] one = {{0, 1, 1}};
        // No files, one array of places, two words: each a key and one range (array 0, bytes 0..3).
        byte[] unsorted = {0, 1, 2, 1, 'b', 1, 0, 0, 3, 1, 'a', 1, 0, 0, 3};
        assertThatThrownBy(() -> IndexPart.read(unsorted, one, 2))
                .hasMessage("word 1 (a) does not come after word 0");
        byte[] twice = {0, 1, 2, 1, 'a', 1, 0, 0, 3, 1, 'a', 1, 0, 0, 3};
        assertThatThrownBy(() -> IndexPart.read(twice, one, 2))
                .hasMessage("word 1 (a) does not come after word 0");
        assertThatThrownBy(() -> IndexPart.read(new byte[] {0, 1, 1, 1, 'a', 0}, one, 2))
                .hasMessage("word 0 has no places");
        assertThatThrownBy(() -> IndexPart.read(new byte[] {0, 1, 1, 1, 'a', 1, 1, 0, 3}, one, 2))
                .hasMessage("range 0 of word 0 is outside the arrays of places (array 1 of 1, bytes 0..3)");
        assertThatThrownBy(() -> IndexPart.read(new byte[] {0, 1, 1, 1, (byte) 0xff, 1, 0, 0, 3}, one, 2).word(0))
                .hasMessage("malformed key at byte 4");
        IndexPart split = IndexPart.read(new byte[] {0, 2, 1, 1, 'a', 2, 0, 0, 3, 1, 1, 3}, new byte[][] {{0, 1, 1}, {9, 2, 1, 5}}, 20);
        assertThat(split.places(0)).as("a word's ranges, joined").containsExactly(0, 1, 1, 2, 1, 5);
    }

    @Test
    void aChildStartsAFreshPartAfterEachTakeAndRejectsFilesOutOfOrder() {
        Batches.Child kid = new Batches.Child();
        SliceIndex child = kid.index;
        child.add(new Batch(false, new String[] {"a"}, new int[] {0}, new int[] {3}, new byte[] {0, 1, 1},
                new int[] {0}, new long[] {1}));
        assertThat(child.placeBytes()).isEqualTo(3);
        assertThat(child.fileCount()).isEqualTo(1);
        IndexPart first = kid.take().read(3);
        assertThat(first.files()).containsExactly(0);
        assertThat(child.placeBytes()).isZero();
        assertThat(child.fileCount()).isZero();
        child.add(new Batch(false, new String[] {"b"}, new int[] {1, 0}, new int[] {3, 6},
                new byte[] {1, 1, 2, 1, 1, 5}, new int[] {1}, new long[] {2}));
        IndexPart second = kid.take().read(3);
        assertThat(second.files()).containsExactly(1);
        assertThat(List.of(second.word(0), second.word(1))).containsExactly("a", "b");
        assertThat(kid.take().read(3).size()).as("an empty part").isZero();
        assertThatThrownBy(() -> child.add(new Batch(false, new String[0], new int[0], new int[0], new byte[0],
                new int[] {1}, new long[] {2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file 1 completed after file 1");
    }

    /** Many parts of random words, merged as they come, give the index a simple map gives. */
    @Test
    void mergesManyPartsAsOneMapWould() {
        Random random = new Random(42);
        int files = 200;
        List<String> names = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            names.add("f" + f);
        }
        PrefixIndex index = new PrefixIndex(names);
        Map<String, TreeMap<Integer, java.util.TreeSet<Integer>>> expected = new TreeMap<>();
        String letters = "abcé\u4e2d";
        for (int p = 0; p < 60; p++) {
            int n = 1 + random.nextInt(p % 7 == 0 ? 200 : 12);
            Map<String, int[]> words = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                StringBuilder w = new StringBuilder();
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    w.append(letters.charAt(random.nextInt(letters.length())));
                }
                int file = random.nextInt(files);
                int line = 1 + random.nextInt(50);
                if (words.putIfAbsent(w.toString(), new int[] {file, 1, line}) != null) {
                    continue;
                }
                expected.computeIfAbsent(w.toString(), x -> new TreeMap<>())
                        .computeIfAbsent(file, x -> new java.util.TreeSet<>()).add(line);
            }
            String[] ws = words.keySet().toArray(new String[0]);
            int[][] places = words.values().toArray(new int[0][]);
            Batches.addTo(index, ws, places);
            if (p == 30) {
                assertThat(index.wordsStartingWith("")).hasSize(expected.size());
            }
        }
        assertThat(index.wordCount()).isEqualTo(expected.size());
        assertThat(index.wordsStartingWith("")).containsExactlyElementsOf(expected.keySet());
        assertThat(index.wordsStartingWith("a")).containsExactlyElementsOf(
                expected.keySet().stream().filter(w -> w.startsWith("a")).toList());
        assertThat(index.wordsStartingWith("é\u4e2d")).containsExactlyElementsOf(
                expected.keySet().stream().filter(w -> w.startsWith("é\u4e2d")).toList());
        expected.forEach((word, byFile) -> {
            Map<String, int[]> got = index.places(word);
            assertThat(got.keySet()).as(word).containsExactlyElementsOf(
                    byFile.keySet().stream().map(names::get).toList());
            byFile.forEach((f, lines) -> assertThat(got.get(names.get(f))).as(word + " in " + f)
                    .containsExactly(lines.stream().mapToInt(Integer::intValue).toArray()));
        });
        assertThat(index.places("nope")).isEmpty();
    }

    /**
     * Words that share their first 8 key bytes, or end in NUL chars (keys that end in zero
     * bytes), are compared by their whole keys: read in order, merged across parts in order.
     */
    @Test
    void comparesWordsBeyondTheirFirstEightBytes() {
        String[] words = {"abcdefg", "abcdefg\0", "abcdefg\0\0", "abcdefg\0a", "abcdefga", "abcdefgh", "abcdefgh\0",
            "abcdefgha", "abcdefghb", "abcdefghba", "abcdé", "abcdé\0", "abcdéf", "\u4e2d\u4e2d\u4e2d", "\u4e2d\u4e2d\u4e2da"};
        List<String> names = List.of("f0", "f1", "f2");
        PrefixIndex index = new PrefixIndex(names);
        for (int p = 0; p < 3; p++) {
            TreeMap<String, int[]> some = new TreeMap<>();
            for (int i = p; i < words.length; i += 1 + p) {
                some.put(words[i], new int[] {p, 1, 1 + i});
            }
            Batches.addTo(index, some.keySet().toArray(new String[0]), some.values().toArray(new int[0][]));
        }
        List<String> sorted = new ArrayList<>(List.of(words));
        sorted.sort(null);
        assertThat(index.wordCount()).isEqualTo(words.length);
        assertThat(index.wordsStartingWith("")).containsExactlyElementsOf(sorted);
        assertThat(index.wordsStartingWith("abcdefgh")).containsExactly("abcdefgh", "abcdefgh\0", "abcdefgha",
                "abcdefghb", "abcdefghba");
        assertThat(index.places("abcdefg\0").keySet()).containsExactly("f0", "f1");
        byte[][] one = {{0, 1, 1}};
        // No files, one array of places, two words of 9 bytes sharing their first 8, out of order.
        byte[] unsorted = {0, 1, 2, 9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'b', 1, 0, 0, 3,
            9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'a', 1, 0, 0, 3};
        assertThatThrownBy(() -> IndexPart.read(unsorted, one, 2))
                .hasMessage("word 1 (abcdefgha) does not come after word 0");
        byte[] nulFirst = {0, 1, 2, 2, 'a', 0, 1, 0, 0, 3, 1, 'a', 1, 0, 0, 3};
        assertThatThrownBy(() -> IndexPart.read(nulFirst, one, 2))
                .hasMessage("word 1 (a) does not come after word 0");
    }
}
