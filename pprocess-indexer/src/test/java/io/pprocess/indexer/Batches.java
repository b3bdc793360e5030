package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Batch;
import static org.assertj.core.api.Assertions.assertThat;

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

    /** Adds a batch to an index as the parent does. */
    static void addTo(PrefixIndex index, Batch batch) {
        index.add(batch.words(), batch.ends(), batch.places());
    }

    /** Adds words with one block list each to an index. */
    static void addTo(PrefixIndex index, String[] words, int[][] places) {
        int[] ends = new int[places.length];
        int total = 0;
        for (int i = 0; i < places.length; i++) {
            total += places[i].length;
            ends[i] = total;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] p : places) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        byte[] packed = Varints.encode(all, total, ends);
        index.add(words, ends, packed);
    }
}
