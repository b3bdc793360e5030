package io.pprocess.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pprocess.CodecException;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.MapTask;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messages of a {@code pmap} over plain numbers go without Kryo ({@link PlainCodec}) and
 * come back as what Kryo would have given; everything else still goes through Kryo.
 */
class PlainCodecTest {

    private static byte[] encoded(Object value) {
        Output out = new Output(64, -1);
        Codec.encode(out, value);
        return out.toBytes();
    }

    private static Object roundTrip(Object value) {
        byte[] bytes = encoded(value);
        return Codec.decode(bytes, 0, bytes.length);
    }

    private static boolean plain(Object value) {
        byte[] bytes = encoded(value);
        return (bytes[0] & 0xff) == PlainCodec.TAG;
    }

    @SuppressWarnings("unchecked")
    private static Object apply(Object function, Object item) {
        return ((SerializableFunction<Object, Object>) function).apply(item);
    }

    @Test
    void chunksAndResultsOfNumbersArePlainAndComeBackEqual() {
        for (Object[] items : List.of(new Object[] {1, -7, Integer.MAX_VALUE}, new Object[] {2L, Long.MIN_VALUE},
                new Object[] {0.5, Double.NaN, -0.0}, new Object[0])) {
            assertThat(plain(new Chunk(9, items))).isTrue();
            Chunk chunk = (Chunk) roundTrip(new Chunk(9, items));
            assertThat(chunk.base()).isEqualTo(9);
            assertThat(chunk.items()).containsExactly(items);
            Results results = (Results) roundTrip(new Results(12, items, 4096));
            assertThat(results.base()).isEqualTo(12);
            assertThat(results.values()).containsExactly(items);
            assertThat(results.heapAfterGc()).isEqualTo(4096);
        }
        assertThat(roundTrip(Park.INSTANCE)).isSameAs(Park.INSTANCE);
        assertThat(roundTrip(null)).isNull();
        assertThat(encoded(null)).containsExactly(0);
    }

    @Test
    void anythingElseStillGoesThroughKryo() {
        RemoteFailure failure = RemoteFailure.of(new IllegalStateException("bad"), 1);
        assertThat(plain(new Chunk(0, new Object[] {1, "two"}))).isFalse();
        assertThat(plain(new Chunk(0, new Object[] {1, null}))).isFalse();
        assertThat(plain(new Results(0, new Object[] {1, new ItemError(failure)}, -1))).isFalse();
        assertThat(plain(List.of(1))).isFalse();
        assertThat(plain(7)).isFalse();
        Results back = (Results) roundTrip(new Results(0, new Object[] {1, new ItemError(failure)}, -1));
        assertThat(back.values()[1]).isInstanceOf(ItemError.class);
    }

    @Test
    void aMapWorkersTaskIsPlainWhenItsLambdaCapturesOnlyPlainValues() {
        int offset = 5;
        String suffix = "!";
        Long big = null;
        SerializableFunction<Integer, String> fn = x -> (x + offset) + suffix + big;
        Object task = Batches.worker(fn, Setup.NONE);
        Invocation invocation = new Invocation(task, new Object[] {new Chunk(3, new Object[0])}, null);
        assertThat(plain(invocation)).isTrue();
        Invocation back = (Invocation) roundTrip(invocation);
        assertThat(back.task().getClass()).isSameAs(task.getClass());
        assertThat(back.persistent()).isNull();
        assertThat(((Chunk) back.args()[0]).base()).isEqualTo(3);
        MapTask map = (MapTask) back.task();
        assertThat(map.setup()).isSameAs(Setup.NONE);
        assertThat(apply(map.function(), 1)).isEqualTo("6!null");

        Rebind rebind = (Rebind) roundTrip(new Rebind(fn, new Setup(null, true), new Chunk(4, new Object[] {2})));
        assertThat(apply(rebind.function(), 2)).isEqualTo("7!null");
        assertThat(rebind.setup().reportHeap()).isTrue();
        assertThat(rebind.chunk().items()).containsExactly(2);
    }

    @Test
    void aLambdaThatCapturesAnObjectOrAnInitializerGoesThroughKryo() {
        List<Integer> table = List.of(10, 20);
        SerializableFunction<Integer, Integer> fn = x -> table.get(x);
        Object task = Batches.worker(fn, Setup.NONE);
        Invocation invocation = new Invocation(task, new Object[] {new Chunk(0, new Object[0])}, null);
        assertThat(plain(invocation)).isFalse();
        MapTask back = (MapTask) ((Invocation) roundTrip(invocation)).task();
        assertThat(apply(back.function(), 1)).isEqualTo(20);

        SerializableFunction<Integer, Integer> inc = x -> x + 1;
        Setup withInit = new Setup((SerializableSupplier<Object>) () -> "state", false);
        assertThat(plain(new Rebind(inc, withInit, new Chunk(0, new Object[] {1})))).isFalse();
        assertThat(plain(new Invocation(Batches.worker(inc, withInit), new Object[] {new Chunk(0, new Object[0])},
                null))).isFalse();
        assertThat(plain(new Invocation(Batches.worker(inc, Setup.NONE), new Object[] {new Chunk(0, new Object[0])},
                new PersistentSpec("a", 1L)))).isFalse();
        assertThat(PlainCodec.plainFunction(inc)).isTrue();
        assertThat(PlainCodec.plainFunction(fn)).isFalse();
    }

    @Test
    void aNonSerialisableFunctionIsStillRefusedWithKryosReason() {
        java.util.function.Function<Integer, Integer> notSerialisable = x -> x;
        assertThat(PlainCodec.plainFunction(notSerialisable)).isFalse();
        assertThatThrownBy(() -> Codec.requireSerialisable(notSerialisable, "the function of pmap"))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("the function of pmap");
    }

    @Test
    void corruptPlainPayloadsFailWithACodecException() {
        byte[] chunk = encoded(new Chunk(1, new Object[] {1, 2, 3}));
        assertThatThrownBy(() -> Codec.decode(chunk, 0, chunk.length - 1))
                .isInstanceOf(CodecException.class).hasMessageContaining("cannot decode");
        byte[] unknown = {(byte) PlainCodec.TAG, 99};
        assertThatThrownBy(() -> Codec.decode(unknown, 0, unknown.length))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown kind of plain payload");
        byte[] mixed = {(byte) PlainCodec.TAG, 1, 0, MessageSerializers.MIXED, 1, 0};
        assertThatThrownBy(() -> Codec.decode(mixed, 0, mixed.length))
                .isInstanceOf(CodecException.class).hasMessageContaining("mixed types");
        byte[] trailing = java.util.Arrays.copyOf(chunk, chunk.length + 1);
        assertThatThrownBy(() -> Codec.decode(trailing, 0, trailing.length))
                .isInstanceOf(CodecException.class).hasMessageContaining("left unread");
    }

    @Test
    void kryoNeverReadsThePlainTagInsideItsOwnPayload() {
        assertThatThrownBy(() -> Codec.newKryo().readClassAndObject(new Input(new byte[] {(byte) PlainCodec.TAG, 1})))
                .hasMessageContaining("can only start a message");
    }
}
