package io.pprocess.internal.codec;

import io.pprocess.internal.message.RemoteFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import io.pprocess.CodecException;
import io.pprocess.RemoteException;
import io.pprocess.SerializableFunction;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CodecTest {

    private static Object roundTrip(Object value) {
        Output out = new Output(64, -1);
        Codec.encode(out, value);
        return Codec.decode(out.getBuffer(), 0, out.position());
    }

    record Pair(String name, List<Integer> values) {
    }

    @Test
    void valuesSurviveARoundTrip() {
        assertThat(roundTrip(null)).isNull();
        assertThat(roundTrip(new Pair("p", List.of(1, 2)))).isEqualTo(new Pair("p", List.of(1, 2)));
        assertThat(roundTrip(Map.of("a", 1))).isEqualTo(Map.of("a", 1));
        assertThat((int[]) roundTrip(new int[] {3, 4})).containsExactly(3, 4);
    }

    @Test
    void serialisableLambdasAndCapturesSurvive() {
        int offset = 5;
        SerializableFunction<Integer, Integer> f = x -> x + offset;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> back = (SerializableFunction<Integer, Integer>) roundTrip(f);
        assertThat(back.apply(1)).isEqualTo(6);
    }

    @Test
    void nonSerialisableLambdaIsRefusedWithAHint() {
        Supplier<String> plain = () -> "x";
        assertThatThrownBy(() -> roundTrip(plain)).isInstanceOf(CodecException.class)
                .hasMessageContaining("cannot serialise a value (lambda of class " + CodecTest.class.getName() + ")")
                .hasMessageContaining(plain.getClass().getName())
                .hasMessageContaining("must extend java.io.Serializable");
    }

    @Test
    void resourcesAreRefusedByClass() {
        assertThatThrownBy(() -> roundTrip(new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.io.ByteArrayInputStream")
                .hasMessageContaining("cannot be sent");
        assertThatThrownBy(() -> roundTrip(List.of(new Thread())))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.Thread");
    }

    @Test
    void corruptPayloadIsACodecException() {
        Output out = new Output(64, -1);
        Codec.encode(out, "a string long enough to cut");
        assertThatThrownBy(() -> Codec.decode(out.getBuffer(), 0, 5)).isInstanceOf(CodecException.class)
                .hasMessageContaining("cannot decode a message of 5 bytes");
    }

    @Test
    void failuresKeepClassMessageStackAndCauses() {
        Exception e = new IllegalStateException("outer", new IllegalArgumentException("inner"));
        e.addSuppressed(new UnsupportedOperationException("suppressed"));
        RemoteFailure f = (RemoteFailure) roundTrip(RemoteFailure.of(e, 42));
        RemoteException r = f.toException();
        assertThat(r.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
        assertThat(r.remoteMessage()).isEqualTo("outer");
        assertThat(r.pid()).isEqualTo(42);
        assertThat(r.getStackTrace()).hasSameSizeAs(e.getStackTrace());
        for (int i = 0; i < e.getStackTrace().length; i++) {
            StackTraceElement a = r.getStackTrace()[i];
            StackTraceElement b = e.getStackTrace()[i];
            assertThat(List.of(a.getClassName(), a.getMethodName(), String.valueOf(a.getFileName()), a.getLineNumber()))
                    .isEqualTo(List.of(b.getClassName(), b.getMethodName(), String.valueOf(b.getFileName()), b.getLineNumber()));
        }
        assertThat(r.getCause()).hasMessage("java.lang.IllegalArgumentException: inner");
        assertThat(r.getSuppressed()).hasSize(1);
        assertThat(r.getSuppressed()[0]).hasMessage("java.lang.UnsupportedOperationException: suppressed");
    }
}
