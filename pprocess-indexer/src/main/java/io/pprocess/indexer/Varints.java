package io.pprocess.indexer;

/**
 * Packs non-negative ints into bytes and back: seven bits a byte, low bits first, the high bit
 * set on every byte but an int's last (unsigned LEB128). Line numbers and file numbers take one
 * to three bytes each instead of four, and a batch crosses the channel as one byte array instead
 * of one array per word.
 */
final class Varints {

    private Varints() {
    }

    /**
     * Encodes {@code values[0, count)}.
     *
     * @param values the ints, each at least 0
     * @param count how many to encode
     * @return the bytes
     * @throws IllegalArgumentException if a value is negative
     */
    static byte[] encode(int[] values, int count) {
        return encode(values, count, new int[0]);
    }

    /**
     * Encodes {@code values[0, count)} and turns {@code ends}, positions among the ints, into the
     * matching positions among the bytes: the ints {@code [ends[k-1], ends[k])} become the bytes
     * {@code [ends[k-1], ends[k])}, so that each range can be decoded on its own.
     *
     * @param values the ints, each at least 0
     * @param count how many to encode
     * @param ends ascending positions from 0 to {@code count}, rewritten in place
     * @return the bytes
     * @throws IllegalArgumentException if a value is negative or the ends are not ascending
     *     within {@code count}
     */
    static byte[] encode(int[] values, int count, int[] ends) {
        int size = 0;
        for (int i = 0; i < count; i++) {
            int v = values[i];
            if (v < 0) {
                throw new IllegalArgumentException("negative value at index " + i + ": " + v);
            }
            size += v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
        }
        int previous = 0;
        for (int end : ends) {
            if (end < previous || end > count) {
                throw new IllegalArgumentException("ends must ascend from 0 to " + count + ": " + end + " after "
                        + previous);
            }
            previous = end;
        }
        byte[] out = new byte[size];
        int at = 0;
        int k = 0;
        for (int i = 0; i < count; i++) {
            while (k < ends.length && ends[k] == i) {
                ends[k++] = at;
            }
            int v = values[i];
            while (v >= 0x80) {
                out[at++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
        }
        while (k < ends.length) {
            ends[k++] = at;
        }
        return out;
    }

    /**
     * Decodes all the ints of {@code bytes[from, to)}.
     *
     * @param bytes what {@link #encode} made
     * @param from the first byte of an int
     * @param to the end of the range, after the last byte of an int
     * @return the ints
     * @throws IllegalArgumentException if the range does not hold whole ints
     */
    static int[] decode(byte[] bytes, int from, int to) {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("range " + from + ".." + to + " is outside the " + bytes.length
                    + " bytes");
        }
        int[] out = new int[to - from];
        int n = 0;
        int at = from;
        while (at < to) {
            int v = 0;
            int shift = 0;
            while (true) {
                if (at == to || shift > 28) {
                    throw new IllegalArgumentException("malformed ints: the range " + from + ".." + to
                            + " ends inside int " + n + " or it overflows");
                }
                byte b = bytes[at++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            out[n++] = v;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Returns how many bytes {@link #put} writes for a value.
     *
     * @param v the value, taken as unsigned
     * @return 1 to 5
     */
    static int size(int v) {
        return (v & 0xffffff80) == 0 ? 1 : (v & 0xffffc000) == 0 ? 2 : (v & 0xffe00000) == 0 ? 3
                : (v & 0xf0000000) == 0 ? 4 : 5;
    }

    /**
     * Writes one value at {@code at}.
     *
     * @param out where
     * @param at the first byte to write
     * @param v the value, taken as unsigned
     * @return the position after the value
     */
    static int put(byte[] out, int at, int v) {
        while ((v & 0xffffff80) != 0) {
            out[at++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }
}
