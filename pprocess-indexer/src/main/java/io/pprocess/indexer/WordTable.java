package io.pprocess.indexer;

import java.util.Arrays;

/**
 * The distinct words one child has seen, numbered from 0 in the order they came: an
 * open-addressing hash table over flat int arrays (no object per word), the words' text in one
 * char pool. A lookup of a word already known costs one hash of its characters and, usually,
 * one probe. Not thread-safe.
 */
final class WordTable {
    // Per-word state, STRIDE ints per word: hash, key offset in the pool, key length.
    private static final int STRIDE = 4;
    private static final int HASH = 0;
    private static final int KEY = 1;
    private static final int LENGTH = 2;

    // Sized for the tens of thousands of distinct words of a few megabytes of text: grown by
    // doubling from small arrays, a child would allocate (and its young collections copy) every
    // size on the way. About a megabyte in all, so that a child with a small heap still works.
    /** Word number + 1 per slot, 0 for an empty slot; at most half full. */
    private int[] slots = new int[1 << 16];
    private int[] words = new int[STRIDE << 15];
    private char[] pool = new char[1 << 18];
    private int poolSize;
    private int count;

    /** @return how many words are known; they are numbered {@code 0 .. size() - 1} */
    int size() {
        return count;
    }

    /**
     * Returns the number of a word, adding it if it is new (it then gets number {@link #size()}
     * as it was before the call).
     *
     * @param buffer the word's characters
     * @param length how many characters of {@code buffer} are the word
     * @return its number
     */
    int find(char[] buffer, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer[i];
        }
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        int mask = slots.length - 1;
        int slot = h & mask;
        while (true) {
            int w = slots[slot] - 1;
            if (w < 0) {
                return insert(slot, h, buffer, length);
            }
            int at = w * STRIDE;
            if (words[at + HASH] == h && words[at + LENGTH] == length && same(words[at + KEY], buffer, length)) {
                return w;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Compares a word of the pool with the buffer: a plain loop, faster than a library call for short words. */
    private boolean same(int key, char[] buffer, int length) {
        char[] p = pool;
        for (int i = 0; i < length; i++) {
            if (p[key + i] != buffer[i]) {
                return false;
            }
        }
        return true;
    }

    private int insert(int slot, int h, char[] buffer, int length) {
        int w = count++;
        if ((w + 1) * STRIDE > words.length) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(poolSize + length, pool.length * 2));
        }
        System.arraycopy(buffer, 0, pool, poolSize, length);
        int at = w * STRIDE;
        words[at + HASH] = h;
        words[at + KEY] = poolSize;
        words[at + LENGTH] = length;
        poolSize += length;
        slots[slot] = w + 1;
        if (count * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return w;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int w = 0; w < count; w++) {
            int slot = words[w * STRIDE + HASH] & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = w + 1;
        }
    }

    /**
     * @param w a word's number
     * @return its text
     */
    String text(int w) {
        return new String(pool, words[w * STRIDE + KEY], words[w * STRIDE + LENGTH]);
    }

    /** Forgets every word, keeping the arrays; numbering starts again from 0. */
    void clear() {
        Arrays.fill(slots, 0);
        count = 0;
        poolSize = 0;
    }
}
