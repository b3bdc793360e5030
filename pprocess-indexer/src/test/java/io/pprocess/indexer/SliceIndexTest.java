package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.indexer.Messages.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SliceIndexTest {

    @Test
    void aPrefixIsTheFirstEightBytesOfTheKey() {
        for (String word : List.of("", "a", "abcdefg", "abcdefgh", "abcdefghi", "ß", "abcdefgß", "abcdef\u4e2d",
                "abcdefg\u4e2d", "\ud83d\ude00x", "\uffff\uffff\uffff")) {
            byte[] key = Arrays.copyOf(IndexPart.key(word), 8);
            long expected = 0;
            for (byte b : key) {
                expected = expected << 8 | (b & 0xff);
            }
            assertThat(SliceIndex.prefixOf(word)).as(word).isEqualTo(expected);
        }
    }

    /** Words sharing long prefixes, of one- to three-byte chars, come out of a part in string order. */
    @Test
    void aPartListsItsWordsInStringOrder() {
        Random random = new Random(7);
        String[] stems = {"", "get", "getdeclared", "abcdefgh", "\u00e9t\u00e9", "\u4e2d\u6587"};
        String letters = "abyz\u00e9\u00ff\u4e2d\uffff\ud83d\ude00";
        TreeSet<String> distinct = new TreeSet<>();
        while (distinct.size() < 5000) {
            StringBuilder w = new StringBuilder(stems[random.nextInt(stems.length)]);
            for (int k = random.nextInt(6); k > 0; k--) {
                int at = random.nextInt(letters.length());
                char c = letters.charAt(at);
                w.append(c);
                if (Character.isHighSurrogate(c)) {
                    w.append(letters.charAt(at + 1));
                } else if (Character.isLowSurrogate(c)) {
                    w.setLength(w.length() - 1);
                }
            }
            distinct.add(w.toString());
        }
        List<String> shuffled = new ArrayList<>(distinct);
        java.util.Collections.shuffle(shuffled, random);
        String[] words = shuffled.toArray(new String[0]);
        int[][] places = new int[words.length][];
        for (int i = 0; i < words.length; i++) {
            places[i] = new int[] {0, 1, i + 1};
        }
        int[] numbers = new int[words.length];
        Arrays.setAll(numbers, i -> i);
        int[] ends = Batches.ends(places);
        SliceIndex child = new SliceIndex();
        child.add(new Batch(false, words, numbers, ends, Batches.packed(places, ends), new int[] {0}, new long[] {1}));
        IndexPart part = IndexPart.read(child.take(), 1);
        List<String> got = new ArrayList<>();
        for (int w = 0; w < part.size(); w++) {
            got.add(part.word(w));
            int line = Varints.decode(part.data(), part.placesAt(w), part.placesEnd(w))[2];
            assertThat(words[line - 1]).as("the places of word " + w).isEqualTo(part.word(w));
        }
        assertThat(got).containsExactlyElementsOf(distinct);
    }
}
