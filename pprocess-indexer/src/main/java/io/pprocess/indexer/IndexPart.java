package io.pprocess.indexer;

import java.util.Arrays;

/**
 * A finished part of the index: the words of some files of one slice, sorted, each with the
 * ranges of its packed places in the arrays of places (the batches' {@code places}, see
 * {@link Messages.Batch}) that came before it; written by a child ({@link SliceIndex}), read by
 * the parent ({@link #read}), which keeps the arrays as they came and searches them in place.
 * The arrays of places cross the channel while the child reads on; the part, which names the
 * words and where their places are, comes after them.
 *
 * <p>Layout of the part's array, every number an unsigned LEB128 varint ({@link Varints}):
 * <pre>
 * part  = fileCount (file bytes){fileCount} chunkCount wordCount (keyLength key rangeCount range{rangeCount}){wordCount}
 * file  = the file's number minus the previous file's number plus one (the first: its number
 *         plus one), then its size as read, as two varints: the low 32 bits, the high 32 bits
 * key   = the word's chars, each as one to three bytes (the UTF-8 forms of its UTF-16 code
 *         unit, surrogates one by one), so that unsigned byte order is {@link String#compareTo}
 *         order and a prefix of a word is a prefix of its key
 * range = chunk from length: bytes from..from+length of the part's array of places number
 *         chunk (0 to chunkCount - 1), given as the difference from the previous range's
 *         (the first: from 0); a range's bytes are blocks of [file, n, line1 .. linen] as in
 *         {@link Messages.Batch}, and a word's places are its ranges' blocks in order
 * </pre>
 * Keys ascend strictly and a word's ranges by their array; {@link #read} checks that, every
 * length and every range, and the places of a word are checked when they are first decoded
 * ({@link PrefixIndex}).
 */
final class IndexPart {
    private final byte[] data;
    private final byte[][] chunks;
    private final int[] files;
    private final long[] bytes;
    private final int[] keyAt;
    private final int[] keyEnd;
    private final int[] rangesAt;

    private IndexPart(byte[] data, byte[][] chunks, int[] files, long[] bytes, int[] keyAt, int[] keyEnd,
                      int[] rangesAt) {
        this.data = data;
        this.chunks = chunks;
        this.files = files;
        this.bytes = bytes;
        this.keyAt = keyAt;
        this.keyEnd = keyEnd;
        this.rangesAt = rangesAt;
    }

    /** @return the numbers of the files this part completes, ascending */
    int[] files() {
        return files;
    }

    /** @return for each of {@link #files}, its size in bytes as read */
    long[] bytes() {
        return bytes;
    }

    /** @return the number of words */
    int size() {
        return keyAt.length;
    }

    /** @return the whole array, for comparing keys in place */
    byte[] data() {
        return data;
    }

    /** @return where word {@code w}'s key starts in {@link #data} */
    int keyAt(int w) {
        return keyAt[w];
    }

    /** @return where word {@code w}'s key ends in {@link #data} */
    int keyEnd(int w) {
        return keyEnd[w];
    }

    /**
     * Returns word {@code w}'s places: its ranges' blocks of [file, n, line1 .. linen], in the
     * order of its ranges.
     *
     * @param w the word's number in this part
     * @return the ints
     * @throws IllegalArgumentException if its places are not well-formed varints
     */
    int[] places(int w) {
        Reader in = new Reader(data);
        in.at = rangesAt[w];
        int count = in.next();
        if (count == 1) {
            int chunk = in.next();
            int from = in.next();
            return Varints.decode(chunks[chunk], from, from + in.next());
        }
        int[][] pieces = new int[count][];
        int length = 0;
        int chunk = 0;
        for (int r = 0; r < count; r++) {
            chunk += in.next();
            int from = in.next();
            pieces[r] = Varints.decode(chunks[chunk], from, from + in.next());
            length += pieces[r].length;
        }
        int[] out = new int[length];
        int at = 0;
        for (int[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }

    /** @return word {@code w} */
    String word(int w) {
        return decodeKey(data, keyAt[w], keyEnd[w]);
    }

    /**
     * Reads a part, keeping {@code data} and {@code chunks} (not copied).
     *
     * @param data what {@link SliceIndex#take} made
     * @param chunks the arrays of places that the child's index handed out before it made this
     *     part (since the previous part), in order
     * @param fileCount the number of files of the listing: file numbers must be below it
     * @return the part
     * @throws IllegalArgumentException if the array is not a well-formed part, or does not
     *     match the arrays of places
     */
    static IndexPart read(byte[] data, byte[][] chunks, int fileCount) {
        Reader in = new Reader(data);
        int n = in.count("files");
        int[] files = new int[n];
        long[] bytes = new long[n];
        int file = -1;
        for (int i = 0; i < n; i++) {
            long next = (long) file + in.next();
            if (next <= file || next >= fileCount) {
                throw new IllegalArgumentException("file number " + next + " out of order or range (files: "
                        + fileCount + ")");
            }
            file = (int) next;
            files[i] = file;
            bytes[i] = (in.next() & 0xffffffffL) | ((long) in.next() << 32);
        }
        int chunkCount = in.next();
        if (chunkCount != chunks.length) {
            throw new IllegalArgumentException("the part names " + (chunkCount & 0xffffffffL)
                    + " arrays of places, " + chunks.length + " came before it");
        }
        int words = in.count("words");
        int[] keyAt = new int[words];
        int[] keyEnd = new int[words];
        int[] rangesAt = new int[words];
        for (int w = 0; w < words; w++) {
            int length = in.next();
            keyAt[w] = in.at;
            keyEnd[w] = in.skip(length, "key");
            if (w > 0 && Arrays.compareUnsigned(data, keyAt[w - 1], keyEnd[w - 1], data, keyAt[w], keyEnd[w]) >= 0) {
                throw new IllegalArgumentException("word " + w + " (" + decodeKey(data, keyAt[w], keyEnd[w])
                        + ") does not come after word " + (w - 1));
            }
            rangesAt[w] = in.at;
            int ranges = in.count("ranges");
            if (ranges == 0) {
                throw new IllegalArgumentException("word " + w + " has no places");
            }
            long chunk = 0;
            for (int r = 0; r < ranges; r++) {
                chunk += in.next() & 0xffffffffL;
                long from = in.next() & 0xffffffffL;
                long to = from + (in.next() & 0xffffffffL);
                if (chunk >= chunks.length || to > chunks[(int) chunk].length) {
                    throw new IllegalArgumentException("range " + r + " of word " + w + " is outside the arrays of places"
                            + " (array " + chunk + " of " + chunks.length + ", bytes " + from + ".." + to + ")");
                }
            }
        }
        if (in.at != data.length) {
            throw new IllegalArgumentException((data.length - in.at) + " bytes after the last word");
        }
        return new IndexPart(data, chunks, files, bytes, keyAt, keyEnd, rangesAt);
    }

    /** Reads the varints of a part, naming what is wrong. */
    private static final class Reader {
        final byte[] data;
        int at;

        Reader(byte[] data) {
            this.data = data;
        }

        int next() {
            int v = 0;
            for (int shift = 0; shift <= 28; shift += 7) {
                if (at == data.length) {
                    throw new IllegalArgumentException("the part ends inside a number at byte " + at);
                }
                byte b = data[at++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a number longer than 5 bytes at byte " + (at - 5));
        }

        int count(String what) {
            int n = next();
            if (n < 0 || n > data.length - at) {
                throw new IllegalArgumentException("count of " + what + " out of range: " + (n & 0xffffffffL));
            }
            return n;
        }

        int skip(int length, String what) {
            if (length < 0 || length > data.length - at) {
                throw new IllegalArgumentException("length of " + what + " out of range at byte " + at + ": "
                        + (length & 0xffffffffL));
            }
            at += length;
            return at;
        }
    }

    /**
     * Returns a word's key: its chars as one to three bytes each (see the class comment).
     *
     * @param word the word
     * @return the key
     */
    static byte[] key(String word) {
        byte[] out = new byte[keySize(word)];
        putKey(word, out, 0);
        return out;
    }

    /** @return the number of bytes of {@code word}'s key */
    static int keySize(String word) {
        int size = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            size += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return size;
    }

    /** Writes {@code word}'s key at {@code at}; returns the end. */
    static int putKey(String word, byte[] out, int at) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else {
                out[at++] = (byte) (0xe0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return at;
    }

    /**
     * Reads a key back into its word.
     *
     * @throws IllegalArgumentException if the bytes are not a key
     */
    static String decodeKey(byte[] data, int from, int to) {
        char[] chars = new char[to - from];
        int n = 0;
        for (int at = from; at < to; ) {
            int b = data[at] & 0xff;
            if (b < 0x80) {
                chars[n++] = (char) b;
                at++;
            } else if (b >= 0xc0 && b < 0xe0 && at + 1 < to) {
                chars[n++] = (char) ((b & 0x1f) << 6 | data[at + 1] & 0x3f);
                at += 2;
            } else if (b >= 0xe0 && b < 0xf0 && at + 2 < to) {
                chars[n++] = (char) ((b & 0x0f) << 12 | (data[at + 1] & 0x3f) << 6 | data[at + 2] & 0x3f);
                at += 3;
            } else {
                throw new IllegalArgumentException("malformed key at byte " + at);
            }
        }
        return new String(chars, 0, n);
    }
}
