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
        int size = 0;
        for (int i = 0; i < count; i++) {
            int v = values[i];
            if (v < 0) {
                throw new IllegalArgumentException("negative value at index " + i + ": " + v);
            }
            size += v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int v = values[i];
            while (v >= 0x80) {
                out[at++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
        }
        return out;
    }

    /**
     * Decodes exactly {@code count} ints from all of {@code bytes}.
     *
     * @param bytes what {@link #encode} made
     * @param count how many ints it holds
     * @return the ints
     * @throws IllegalArgumentException if the bytes do not hold exactly {@code count} ints
     */
    static int[] decode(byte[] bytes, int count) {
        int[] out = new int[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int v = 0;
            int shift = 0;
            while (true) {
                if (at == bytes.length || shift > 28) {
                    throw new IllegalArgumentException("malformed ints: " + count + " expected, bytes end or overflow at int "
                            + i);
                }
                byte b = bytes[at++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            out[i] = v;
        }
        if (at != bytes.length) {
            throw new IllegalArgumentException("malformed ints: " + (bytes.length - at) + " bytes left after " + count
                    + " ints");
        }
        return out;
    }
}
