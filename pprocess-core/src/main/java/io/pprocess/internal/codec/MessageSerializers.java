package io.pprocess.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;

/**
 * Explicit serialisers for the messages of {@code pmap}: a program's first {@code pmap} encodes
 * and decodes them before the compiler has run, where Kryo's reflective record serialiser is
 * slow (its first few dozen uses call the record's accessors and constructor through
 * reflection and generate accessor classes: tens of milliseconds in a new JVM).
 *
 * <p>The items of a {@link Chunk} and the values of {@link Results} are written as one block
 * when they are all {@code Integer}, all {@code Long} or all {@code Double} (none {@code null}):
 * a tag, the count and the numbers, instead of a class id and a value for each. Kryo tracks no
 * references for those types, so the block decodes to equal values exactly as the element-wise
 * form would. Anything else is written element by element with the class of each.
 */
final class MessageSerializers {
    /** The items follow one by one, each with its class. */
    static final byte MIXED = 0;
    /** The items are {@code Integer}s: the count, then each as a variable-length int. */
    static final byte INTEGERS = 1;
    /** The items are {@code Long}s: the count, then each as a variable-length long. */
    static final byte LONGS = 2;
    /** The items are {@code Double}s: the count, then each as 8 bytes. */
    static final byte DOUBLES = 3;

    private MessageSerializers() {
    }

    /** Writes the items of a chunk or the values of a report. */
    static void writeItems(Kryo kryo, Output output, Object[] items) {
        byte kind = kindOf(items);
        output.writeByte(kind);
        output.writeVarInt(items.length, true);
        switch (kind) {
            case INTEGERS:
                for (Object o : items) {
                    output.writeVarInt((Integer) o, false);
                }
                break;
            case LONGS:
                for (Object o : items) {
                    output.writeVarLong((Long) o, false);
                }
                break;
            case DOUBLES:
                for (Object o : items) {
                    output.writeDouble((Double) o);
                }
                break;
            default:
                for (Object o : items) {
                    kryo.writeClassAndObject(output, o);
                }
                break;
        }
    }

    /** Reads what {@link #writeItems} wrote. */
    static Object[] readItems(Kryo kryo, Input input) {
        byte kind = input.readByte();
        int count = input.readVarInt(true);
        if (count < 0 || count > input.limit() - input.position()) {
            // Every item takes at least a byte: a larger count is corrupt data, not a big block.
            throw new KryoException("item count out of range: " + count);
        }
        Object[] items = new Object[count];
        switch (kind) {
            case INTEGERS:
                for (int i = 0; i < count; i++) {
                    items[i] = input.readVarInt(false);
                }
                break;
            case LONGS:
                for (int i = 0; i < count; i++) {
                    items[i] = input.readVarLong(false);
                }
                break;
            case DOUBLES:
                for (int i = 0; i < count; i++) {
                    items[i] = input.readDouble();
                }
                break;
            case MIXED:
                if (kryo == null && count > 0) {
                    throw new KryoException("a plain message holds " + count + " items of mixed types");
                }
                for (int i = 0; i < count; i++) {
                    items[i] = kryo.readClassAndObject(input);
                }
                break;
            default:
                throw new KryoException("unknown kind of item block: " + kind);
        }
        return items;
    }

    /** The block kind of {@code items}: one of the boxed number types when all share it. */
    static byte kindOf(Object[] items) {
        if (items.length == 0) {
            return MIXED;
        }
        Class<?> first = items[0] == null ? null : items[0].getClass();
        byte kind;
        if (first == Integer.class) {
            kind = INTEGERS;
        } else if (first == Long.class) {
            kind = LONGS;
        } else if (first == Double.class) {
            kind = DOUBLES;
        } else {
            return MIXED;
        }
        for (Object o : items) {
            if (o == null || o.getClass() != first) {
                return MIXED;
            }
        }
        return kind;
    }

    /** {@link Chunk}: the base index and the items. */
    static final class ChunkSerializer extends Serializer<Chunk> {
        @Override
        public void write(Kryo kryo, Output output, Chunk chunk) {
            output.writeVarInt(chunk.base(), true);
            writeItems(kryo, output, chunk.items());
        }

        @Override
        public Chunk read(Kryo kryo, Input input, Class<? extends Chunk> type) {
            int base = input.readVarInt(true);
            return new Chunk(base, readItems(kryo, input));
        }
    }

    /** {@link Results}: the base index, the values and the heap figure. */
    static final class ResultsSerializer extends Serializer<Results> {
        @Override
        public void write(Kryo kryo, Output output, Results results) {
            output.writeVarInt(results.base(), true);
            writeItems(kryo, output, results.values());
            output.writeVarLong(results.heapAfterGc(), false);
        }

        @Override
        public Results read(Kryo kryo, Input input, Class<? extends Results> type) {
            int base = input.readVarInt(true);
            Object[] values = readItems(kryo, input);
            long heap = input.readVarLong(false);
            return new Results(base, values, heap);
        }
    }

    /** {@link Setup}: the initialiser (or {@code null}) and the heap flag. */
    static final class SetupSerializer extends Serializer<Setup> {
        @Override
        public void write(Kryo kryo, Output output, Setup setup) {
            kryo.writeClassAndObject(output, setup.initializer());
            output.writeBoolean(setup.reportHeap());
        }

        @Override
        public Setup read(Kryo kryo, Input input, Class<? extends Setup> type) {
            Object initializer = kryo.readClassAndObject(input);
            boolean reportHeap = input.readBoolean();
            return initializer == null && !reportHeap ? Setup.NONE : new Setup(initializer, reportHeap);
        }
    }

    /** {@link Rebind}: the function, the set-up and the first chunk. */
    static final class RebindSerializer extends Serializer<Rebind> {
        @Override
        public void write(Kryo kryo, Output output, Rebind rebind) {
            kryo.writeClassAndObject(output, rebind.function());
            kryo.writeObject(output, rebind.setup());
            kryo.writeObject(output, rebind.chunk());
        }

        @Override
        public Rebind read(Kryo kryo, Input input, Class<? extends Rebind> type) {
            Object function = kryo.readClassAndObject(input);
            Setup setup = kryo.readObject(input, Setup.class);
            Chunk chunk = kryo.readObject(input, Chunk.class);
            return new Rebind(function, setup, chunk);
        }
    }
}
