package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** Converts between a batch's packed places and one block list per word, for tests. */
final class Batches {

    private Batches() {
    }

    /** @return the block list of each word of {@code batch} */
    static int[][] places(Batch batch) {
        int[][] out = new int[batch.words().length][];
        int from = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = Varints.decode(batch.places(), from, batch.ends()[i]);
            from = batch.ends()[i];
        }
        assertThat(from).as("bytes after the last word").isEqualTo(batch.places().length);
        return out;
    }

    /** A child's index as a child uses it, keeping the arrays of places it hands out for the part that follows. */
    static final class Child {
        private final List<byte[]> chunks = new ArrayList<>();
        final SliceIndex index = new SliceIndex(chunks::add);

        /** @return the part the index makes now, with the arrays of places handed out since the previous one */
        Part take() {
            byte[] data = index.take();
            byte[][] sent = chunks.toArray(new byte[0][]);
            chunks.clear();
            return new Part(data, sent);
        }
    }

    /** An index part and the arrays of places that came before it. */
    record Part(byte[] data, byte[][] chunks) {
        IndexPart read(int files) {
            return IndexPart.read(data, chunks, files);
        }

        void addTo(PrefixIndex index) {
            index.add(data, chunks);
        }
    }

    private static final Map<PrefixIndex, Child> SOURCES = new WeakHashMap<>();

    /**
     * Adds a batch to an index as a child and the parent do, as an index part of its own; all
     * the batches added to one index are taken for one child's, in the order made.
     */
    static void addTo(PrefixIndex index, Batch batch) {
        Child child = SOURCES.computeIfAbsent(index, i -> new Child());
        child.index.add(batch);
        child.take().addTo(index);
    }

    /** @return the text of the words of batch {@code k} of {@code sent}, one builder's batches in order */
    static List<String> names(List<Batch> sent, int k) {
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i <= k; i++) {
            if (sent.get(i).renumbered()) {
                numbered.clear();
            }
            numbered.addAll(List.of(sent.get(i).newWords()));
        }
        List<String> out = new ArrayList<>();
        for (int n : sent.get(k).words()) {
            out.add(numbered.get(n));
        }
        return out;
    }

    /** Adds words with one block list each to an index. */
    static void addTo(PrefixIndex index, String[] words, int[][] places) {
        int[] ends = ends(places);
        add(index, words, ends, packed(places, ends));
    }

    /** Where each word's places end in their concatenation, as a batch gives them. */
    static int[] ends(int[][] places) {
        int[] ends = new int[places.length];
        int total = 0;
        for (int i = 0; i < places.length; i++) {
            total += places[i].length;
            ends[i] = total;
        }
        return ends;
    }

    /** Every word's places, one after the other, packed as a batch carries them. */
    static byte[] packed(int[][] places, int[] ends) {
        int total = ends.length == 0 ? 0 : ends[ends.length - 1];
        int[] all = new int[total];
        int at = 0;
        for (int[] p : places) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return Varints.encode(all, total, ends);
    }

    /** Adds words numbered 0, 1, ... in a batch of their own, through a child's index and a part of their own. */
    static void add(PrefixIndex index, String[] words, int[] ends, byte[] places) {
        int[] numbers = new int[words.length];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = i;
        }
        Child child = new Child();
        child.index.add(false, words, numbers, ends, places);
        child.take().addTo(index);
    }
}
