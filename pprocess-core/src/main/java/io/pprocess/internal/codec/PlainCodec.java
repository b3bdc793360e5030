package io.pprocess.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.SerializableFunction;
import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.MapTask;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import io.pprocess.internal.wire.Frames.CodecId;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;

/**
 * The messages of a {@code pmap} over plain numbers, written and read without Kryo: a new JVM
 * spends 50 ms or more creating its first Kryo (loading and linking its hundred default
 * serialisers), several times what the whole first {@code pmap} of a program whose workers are
 * kept should take. A parent that maps a lambda capturing only plain values over
 * {@code Integer}s, {@code Long}s or {@code Double}s, and gets such values back, never creates
 * one; anything else goes through Kryo as before, in the same process and on the same channel.
 *
 * <p>A plain payload starts with the byte {@link #TAG}, which Kryo would read as the class of id
 * {@link CodecId#PLAIN}: that id is registered to a class no value has, so Kryo never writes
 * that byte first and refuses to read it. Then a kind and its fields:
 * <pre>
 * 1 Chunk       base:varint items
 * 2 Results     base:varint items heapAfterGc:varlong
 * 3 Park
 * 4 Invocation  of a pmap worker with its first chunk: lambda setup base:varint items
 * 5 Rebind      lambda setup base:varint items
 *
 * items  = a block as MessageSerializers writes it: Integers, Longs or Doubles, or none
 * setup  = reportHeap:boolean (a set-up without an initialiser)
 * lambda = capturing class, functional interface class, method, signature (strings),
 *          implementation kind (varint), class, method, signature, instantiated type (strings),
 *          count (varint), then each captured value: null, Integer, Long, Double, Boolean or
 *          String (a type byte and the value)
 * </pre>
 * {@code null} is written as Kryo writes it (the single byte 0), which either side reads.
 */
final class PlainCodec {
    /** The first byte of a plain payload: {@code CodecId.PLAIN + 2}, as Kryo writes a class id. */
    static final int TAG = CodecId.PLAIN + 2;

    private static final byte CHUNK = 1;
    private static final byte RESULTS = 2;
    private static final byte PARK = 3;
    private static final byte MAP_TASK = 4;
    private static final byte REBIND = 5;

    private static final byte NULL = 0;
    private static final byte INTEGER = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    private static final byte STRING = 5;

    /** The class of {@code pmap}'s worker task, by name: this package does not depend on its package. */
    static final String MAP_WORKER = "io.pprocess.internal.exchange.Batches$Worker";

    private PlainCodec() {
    }

    /**
     * Writes a value as a plain payload if it is one of the messages above.
     *
     * @param out where to write; left as it was when the value is not plain
     * @param value the value
     * @return whether it was written
     */
    static boolean write(Output out, Object value) {
        if (value == null) {
            out.writeByte(0);
            return true;
        }
        int start = out.position();
        boolean written;
        if (value instanceof Chunk) {
            written = chunk(out, CHUNK, (Chunk) value);
        } else if (value instanceof Results) {
            Results r = (Results) value;
            written = blockKind(r.values()) && header(out, RESULTS);
            if (written) {
                out.writeVarInt(r.base(), true);
                MessageSerializers.writeItems(null, out, r.values());
                out.writeVarLong(r.heapAfterGc(), false);
            }
        } else if (value == Park.INSTANCE) {
            written = header(out, PARK);
        } else if (value instanceof Invocation) {
            written = mapTask(out, (Invocation) value);
        } else if (value instanceof Rebind) {
            Rebind r = (Rebind) value;
            written = r.chunk() != null && blockKind(r.chunk().items()) && plainSetup(r.setup())
                    && header(out, REBIND) && lambda(out, r.function()) && rest(out, r.setup(), r.chunk());
        } else {
            written = false;
        }
        if (!written) {
            out.setPosition(start);
        }
        return written;
    }

    /**
     * Checks that a function can be written plainly (a lambda capturing only plain values), as
     * the start of a {@code pmap} will write it.
     *
     * @param function the function
     * @return whether it can
     */
    static boolean plainFunction(Object function) {
        return lambda(new Output(256, -1), function);
    }

    private static boolean header(Output out, byte kind) {
        out.writeByte(TAG);
        out.writeByte(kind);
        return true;
    }

    private static boolean chunk(Output out, byte kind, Chunk chunk) {
        if (!blockKind(chunk.items())) {
            return false;
        }
        header(out, kind);
        out.writeVarInt(chunk.base(), true);
        MessageSerializers.writeItems(null, out, chunk.items());
        return true;
    }

    /** Whether items are written as one block (or are none). */
    private static boolean blockKind(Object[] items) {
        return items != null && (items.length == 0 || MessageSerializers.kindOf(items) != MessageSerializers.MIXED);
    }

    private static boolean plainSetup(Setup setup) {
        return setup == null || setup.initializer() == null;
    }

    private static boolean mapTask(Output out, Invocation invocation) {
        Object task = invocation.task();
        Object[] args = invocation.args();
        if (!(task instanceof MapTask) || !task.getClass().getName().equals(MAP_WORKER)
                || invocation.persistent() != null || args == null || args.length != 1
                || !(args[0] instanceof Chunk) || !blockKind(((Chunk) args[0]).items())) {
            return false;
        }
        MapTask map = (MapTask) task;
        return plainSetup(map.setup()) && header(out, MAP_TASK) && lambda(out, map.function())
                && rest(out, map.setup(), (Chunk) args[0]);
    }

    private static boolean rest(Output out, Setup setup, Chunk chunk) {
        out.writeBoolean(setup != null && setup.reportHeap());
        out.writeVarInt(chunk.base(), true);
        MessageSerializers.writeItems(null, out, chunk.items());
        return true;
    }

    /** Writes a lambda that captures only plain values; false (part written) for anything else. */
    private static boolean lambda(Output out, Object function) {
        if (function == null) {
            return false;
        }
        Class<?> type = function.getClass();
        if (!type.isSynthetic() || !type.getName().contains("$$Lambda")) {
            return false;
        }
        SerializedLambda sl;
        try {
            sl = LambdaSerializer.serializedForm(function);
        } catch (KryoException e) {
            // Not serialisable: Kryo's path reports it.
            return false;
        }
        int n = sl.getCapturedArgCount();
        for (int i = 0; i < n; i++) {
            if (!plainValue(sl.getCapturedArg(i))) {
                return false;
            }
        }
        LambdaSerializer.writeForm(out, sl);
        for (int i = 0; i < n; i++) {
            value(out, sl.getCapturedArg(i));
        }
        return true;
    }

    private static boolean plainValue(Object v) {
        return v == null || v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Boolean
                || v instanceof String;
    }

    private static void value(Output out, Object v) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Integer) {
            out.writeByte(INTEGER);
            out.writeVarInt((Integer) v, false);
        } else if (v instanceof Long) {
            out.writeByte(LONG);
            out.writeVarLong((Long) v, false);
        } else if (v instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) v);
        } else if (v instanceof Boolean) {
            out.writeByte(BOOLEAN);
            out.writeBoolean((Boolean) v);
        } else {
            out.writeByte(STRING);
            out.writeString((String) v);
        }
    }

    /**
     * Reads a plain payload.
     *
     * @param input positioned at its {@link #TAG}, limited to its end
     * @param loader where the lambda's capturing class is looked up
     * @return the value
     * @throws KryoException if the payload is corrupt or its lambda cannot be rebuilt
     */
    static Object read(Input input, ClassLoader loader) {
        int tag = input.readByte() & 0xff;
        if (tag != TAG) {
            throw new KryoException("not a plain payload: " + tag);
        }
        byte kind = input.readByte();
        switch (kind) {
            case CHUNK:
                return new Chunk(input.readVarInt(true), MessageSerializers.readItems(null, input));
            case RESULTS: {
                int base = input.readVarInt(true);
                Object[] values = MessageSerializers.readItems(null, input);
                return new Results(base, values, input.readVarLong(false));
            }
            case PARK:
                return Park.INSTANCE;
            case MAP_TASK: {
                Object function = readLambda(input, loader);
                Setup setup = readSetup(input);
                Chunk first = new Chunk(input.readVarInt(true), MessageSerializers.readItems(null, input));
                return new Invocation(MapWorker.make(function, setup), new Object[] {first}, null);
            }
            case REBIND: {
                Object function = readLambda(input, loader);
                Setup setup = readSetup(input);
                Chunk first = new Chunk(input.readVarInt(true), MessageSerializers.readItems(null, input));
                return new Rebind(function, setup, first);
            }
            default:
                throw new KryoException("unknown kind of plain payload: " + kind);
        }
    }

    private static Setup readSetup(Input input) {
        return input.readBoolean() ? new Setup(null, true) : Setup.NONE;
    }

    /** Captured values of the plain types, as {@link #value} writes them (a class: no lambda bootstrap on a first call). */
    private static final LambdaSerializer.CapturedValues PLAIN_CAPTURED = new LambdaSerializer.CapturedValues() {
        @Override
        public Object[] read(Input in, int n) {
            if (n < 0 || n > in.limit() - in.position()) {
                throw new KryoException("captured value count out of range: " + n);
            }
            Object[] captured = new Object[n];
            for (int i = 0; i < n; i++) {
                captured[i] = readValue(in);
            }
            return captured;
        }
    };

    private static Object readLambda(Input input, ClassLoader loader) {
        return LambdaSerializer.readForm(input, loader, PLAIN_CAPTURED);
    }

    private static Object readValue(Input input) {
        byte type = input.readByte();
        switch (type) {
            case NULL:
                return null;
            case INTEGER:
                return input.readVarInt(false);
            case LONG:
                return input.readVarLong(false);
            case DOUBLE:
                return input.readDouble();
            case BOOLEAN:
                return input.readBoolean();
            case STRING:
                return input.readString();
            default:
                throw new KryoException("unknown type of captured value: " + type);
        }
    }

    /** Makes {@code pmap}'s worker task, looked up once by name. */
    private static final class MapWorker {
        private static final Constructor<?> CONSTRUCTOR;

        static {
            try {
                CONSTRUCTOR = Class.forName(MAP_WORKER, false, PlainCodec.class.getClassLoader())
                        .getDeclaredConstructor(SerializableFunction.class, Setup.class);
                CONSTRUCTOR.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static Object make(Object function, Setup setup) {
            if (!(function instanceof SerializableFunction)) {
                throw new KryoException("the function of a pmap worker is a " + function.getClass().getName()
                        + ", not a SerializableFunction");
            }
            try {
                return CONSTRUCTOR.newInstance(function, setup);
            } catch (ReflectiveOperationException e) {
                throw new KryoException("cannot make the pmap worker's task: " + e, e);
            }
        }
    }

    /**
     * The class registered at {@link CodecId#PLAIN}: no value has it, so Kryo never writes the
     * tag, and reading it inside a Kryo payload is refused.
     */
    static final class Payload {
        private Payload() {
        }
    }

    /** Kryo's serialiser for {@link Payload}: refuses both ways. */
    static final class Refused extends Serializer<Payload> {
        @Override
        public void write(Kryo kryo, Output output, Payload object) {
            throw new KryoException("a plain payload is written by PlainCodec, not by Kryo");
        }

        @Override
        public Payload read(Kryo kryo, Input input, Class<? extends Payload> type) {
            throw new KryoException("a plain payload (CodecId.PLAIN) can only start a message");
        }
    }
}
