package io.pprocess.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The first message to a child: what it runs, and with which arguments.
 *
 * @param task a {@code ChannelTask}, {@code ChannelTask1..3}
 * @param args the arguments (none for a {@code ChannelTask})
 * @param persistent where a persistent child serves its channel, or {@code null} for an
 *     ordinary child
 */
public record Invocation(Object task, Object[] args, PersistentSpec persistent) {

    /**
     * Writes the three fields directly: every start encodes one and every child decodes one,
     * mostly before the compiler has run, where the reflective record serialiser is slow.
     */
    static final class CodecSerializer extends Serializer<Invocation> {
        @Override
        public void write(Kryo kryo, Output output, Invocation invocation) {
            kryo.writeClassAndObject(output, invocation.task);
            kryo.writeObjectOrNull(output, invocation.args, Object[].class);
            kryo.writeObjectOrNull(output, invocation.persistent, PersistentSpec.class);
        }

        @Override
        public Invocation read(Kryo kryo, Input input, Class<? extends Invocation> type) {
            Object task = kryo.readClassAndObject(input);
            Object[] args = kryo.readObjectOrNull(input, Object[].class);
            PersistentSpec persistent = kryo.readObjectOrNull(input, PersistentSpec.class);
            return new Invocation(task, args, persistent);
        }
    }
}
