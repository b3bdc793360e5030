package io.pprocess.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.PersistentSpec;

/**
 * Writes an {@link Invocation}'s three fields directly: every start encodes one and every child decodes one,
 * mostly before the compiler has run, where the reflective record serialiser is slow.
 */
final class InvocationSerializer extends Serializer<Invocation> {
    @Override
    public void write(Kryo kryo, Output output, Invocation invocation) {
        kryo.writeClassAndObject(output, invocation.task());
        kryo.writeObjectOrNull(output, invocation.args(), Object[].class);
        kryo.writeObjectOrNull(output, invocation.persistent(), PersistentSpec.class);
    }

    @Override
    public Invocation read(Kryo kryo, Input input, Class<? extends Invocation> type) {
        Object task = kryo.readClassAndObject(input);
        Object[] args = kryo.readObjectOrNull(input, Object[].class);
        PersistentSpec persistent = kryo.readObjectOrNull(input, PersistentSpec.class);
        return new Invocation(task, args, persistent);
    }
}
