package io.pprocess.internal.channel;

import io.pprocess.internal.wire.Frames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The values a channel sends as their bytes, without the codec: {@code byte[]}, a
 * {@link ByteBuffer}, and arrays of the other primitive types except {@code boolean}. See the
 * raw payload in {@link Frames}.
 *
 * <p>On the way out, a {@code byte[]} or a buffer is written from where it lies; other arrays
 * pass through a small direct buffer. On the way in, the elements are read straight into the
 * new array (primitive arrays through a small direct buffer), so a message costs a bounded
 * number of copies whatever its size.
 */
final class RawValues {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private RawValues() {
    }

    /** @return the raw type of a value, or 0 if it goes through the codec */
    static byte typeOf(Object value) {
        if (value instanceof byte[]) {
            return Frames.RAW_BYTES;
        } else if (value instanceof ByteBuffer) {
            return Frames.RAW_BUFFER;
        } else if (value instanceof int[]) {
            return Frames.RAW_INTS;
        } else if (value instanceof long[]) {
            return Frames.RAW_LONGS;
        } else if (value instanceof double[]) {
            return Frames.RAW_DOUBLES;
        } else if (value instanceof float[]) {
            return Frames.RAW_FLOATS;
        } else if (value instanceof short[]) {
            return Frames.RAW_SHORTS;
        } else if (value instanceof char[]) {
            return Frames.RAW_CHARS;
        }
        return 0;
    }

    /** @return the bytes of one element of a raw type */
    static int width(byte type) {
        switch (type) {
            case Frames.RAW_BYTES:
            case Frames.RAW_BUFFER:
                return 1;
            case Frames.RAW_SHORTS:
            case Frames.RAW_CHARS:
                return 2;
            case Frames.RAW_INTS:
            case Frames.RAW_FLOATS:
                return 4;
            case Frames.RAW_LONGS:
            case Frames.RAW_DOUBLES:
                return 8;
            default:
                return 0;
        }
    }

    /** @return the number of elements of a raw value */
    static int elements(Object value) {
        if (value instanceof byte[]) {
            return ((byte[]) value).length;
        } else if (value instanceof ByteBuffer) {
            return ((ByteBuffer) value).remaining();
        } else if (value instanceof int[]) {
            return ((int[]) value).length;
        } else if (value instanceof long[]) {
            return ((long[]) value).length;
        } else if (value instanceof double[]) {
            return ((double[]) value).length;
        } else if (value instanceof float[]) {
            return ((float[]) value).length;
        } else if (value instanceof short[]) {
            return ((short[]) value).length;
        } else {
            return ((char[]) value).length;
        }
    }

    /** @return how a value is named in messages, e.g. {@code "an int[] of 10 elements"} */
    static String describe(Object value) {
        if (value instanceof ByteBuffer) {
            return "a ByteBuffer of " + ((ByteBuffer) value).remaining() + " bytes";
        }
        String name = value.getClass().getComponentType().getName() + "[]";
        return (name.startsWith("i") ? "an " : "a ") + name + " of " + elements(value) + " elements";
    }

    /**
     * Copies elements {@code from} to {@code from + count} of a non-byte array into {@code dst}.
     *
     * @param value the array
     * @param from the first element
     * @param count how many; {@code dst} has room for them
     * @param dst a buffer in {@link #ORDER}
     */
    static void put(Object value, int from, int count, ByteBuffer dst) {
        int at = dst.position();
        if (value instanceof int[]) {
            dst.asIntBuffer().put((int[]) value, from, count);
        } else if (value instanceof long[]) {
            dst.asLongBuffer().put((long[]) value, from, count);
        } else if (value instanceof double[]) {
            dst.asDoubleBuffer().put((double[]) value, from, count);
        } else if (value instanceof float[]) {
            dst.asFloatBuffer().put((float[]) value, from, count);
        } else if (value instanceof short[]) {
            dst.asShortBuffer().put((short[]) value, from, count);
        } else {
            dst.asCharBuffer().put((char[]) value, from, count);
        }
        dst.position(at + count * width(typeOf(value)));
    }

    /**
     * Makes an empty array (or buffer) for a received raw payload.
     *
     * @param type the raw type
     * @param bytes the bytes of its elements
     * @return the value to fill, or {@code null} if the type is unknown or the byte count is
     *     not a whole number of elements
     */
    static Object allocate(byte type, int bytes) {
        int width = width(type);
        if (width == 0 || bytes % width != 0) {
            return null;
        }
        int n = bytes / width;
        switch (type) {
            case Frames.RAW_BYTES:
                return new byte[n];
            case Frames.RAW_BUFFER:
                return ByteBuffer.allocate(n);
            case Frames.RAW_SHORTS:
                return new short[n];
            case Frames.RAW_CHARS:
                return new char[n];
            case Frames.RAW_INTS:
                return new int[n];
            case Frames.RAW_FLOATS:
                return new float[n];
            case Frames.RAW_LONGS:
                return new long[n];
            default:
                return new double[n];
        }
    }

    /**
     * Copies whole elements from {@code src} (in {@link #ORDER}) into a non-byte array.
     *
     * @param src the bytes; its position advances by whole elements only
     * @param value the array
     * @param at the first element to fill
     * @return how many elements were filled
     */
    static int get(ByteBuffer src, Object value, int at) {
        int width = width(typeOf(value));
        int count = Math.min(src.remaining() / width, elements(value) - at);
        int start = src.position();
        if (value instanceof int[]) {
            src.asIntBuffer().get((int[]) value, at, count);
        } else if (value instanceof long[]) {
            src.asLongBuffer().get((long[]) value, at, count);
        } else if (value instanceof double[]) {
            src.asDoubleBuffer().get((double[]) value, at, count);
        } else if (value instanceof float[]) {
            src.asFloatBuffer().get((float[]) value, at, count);
        } else if (value instanceof short[]) {
            src.asShortBuffer().get((short[]) value, at, count);
        } else {
            src.asCharBuffer().get((char[]) value, at, count);
        }
        src.position(start + count * width);
        return count;
    }

    /**
     * Decodes a raw payload that is wholly in memory.
     *
     * @param buffer the bytes
     * @param offset where the payload (its type byte) starts
     * @param length the payload's length, type byte included
     * @return the value, or {@code null} if the payload is malformed
     */
    static Object decode(byte[] buffer, int offset, int length) {
        if (length < 1) {
            return null;
        }
        byte type = buffer[offset];
        Object value = allocate(type, length - 1);
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            System.arraycopy(buffer, offset + 1, value, 0, length - 1);
        } else if (value instanceof ByteBuffer) {
            ((ByteBuffer) value).put(buffer, offset + 1, length - 1).flip();
        } else {
            get(ByteBuffer.wrap(buffer, offset + 1, length - 1).slice().order(ORDER), value, 0);
        }
        return value;
    }
}
