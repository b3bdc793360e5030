package io.pprocess.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import io.pprocess.CodecException;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSerializersTest {

    private static Object roundTrip(Object value) {
        Output out = new Output(64, -1);
        Codec.encode(out, value);
        return Codec.decode(out.getBuffer(), 0, out.position());
    }

    private static int encodedSize(Object value) {
        Output out = new Output(64, -1);
        Codec.encode(out, value);
        return out.position();
    }

    @Test
    void blocksOfOneNumberTypeSurviveWithTheirValuesAndTypes() {
        Object[] ints = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42};
        Object[] longs = {0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE};
        Object[] doubles = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1.5};
        assertThat(MessageSerializers.kindOf(ints)).isEqualTo(MessageSerializers.INTEGERS);
        assertThat(MessageSerializers.kindOf(longs)).isEqualTo(MessageSerializers.LONGS);
        assertThat(MessageSerializers.kindOf(doubles)).isEqualTo(MessageSerializers.DOUBLES);
        for (Object[] items : List.of(ints, longs, doubles)) {
            Chunk back = (Chunk) roundTrip(new Chunk(7, items));
            assertThat(back.base()).isEqualTo(7);
            assertThat(back.items()).containsExactly(items);
            assertThat(back.items()).hasOnlyElementsOfType(items[0].getClass());
        }
    }

    @Test
    void aBlockOfIntegersIsSmallerThanTheirElementWiseForm() {
        Object[] ints = new Object[1000];
        Object[] mixed = new Object[1000];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = i;
            mixed[i] = i;
        }
        mixed[999] = (long) 999;
        assertThat(encodedSize(new Chunk(0, ints))).isLessThan(encodedSize(new Chunk(0, mixed)));
    }

    @Test
    void mixedNullAndOtherValuesAreWrittenOneByOne() {
        Object[] items = {1, null, 2L, "three", List.of(4), 5.0};
        assertThat(MessageSerializers.kindOf(items)).isEqualTo(MessageSerializers.MIXED);
        assertThat(MessageSerializers.kindOf(new Object[] {1, null})).isEqualTo(MessageSerializers.MIXED);
        assertThat(MessageSerializers.kindOf(new Object[0])).isEqualTo(MessageSerializers.MIXED);
        Chunk back = (Chunk) roundTrip(new Chunk(0, items));
        assertThat(back.items()).containsExactly(items);
        assertThat(((Chunk) roundTrip(new Chunk(3, new Object[0]))).items()).isEmpty();
    }

    @Test
    void aRepeatedValueInAChunkStaysOneObject() {
        StringBuilder shared = new StringBuilder("same");
        Chunk back = (Chunk) roundTrip(new Chunk(0, new Object[] {shared, shared}));
        assertThat(back.items()[0]).isSameAs(back.items()[1]);
    }

    @Test
    void resultsKeepTheirErrorsAndHeapFigure() {
        ItemError error = new ItemError(RemoteFailure.of(new IllegalStateException("bad item"), 12));
        Results back = (Results) roundTrip(new Results(100, new Object[] {1, error, 3}, 123_456_789L));
        assertThat(back.base()).isEqualTo(100);
        assertThat(back.heapAfterGc()).isEqualTo(123_456_789L);
        assertThat(back.values()[0]).isEqualTo(1);
        assertThat(((ItemError) back.values()[1]).failure().toException()).hasMessageContaining("bad item");
        assertThat(back.values()[2]).isEqualTo(3);
        assertThat(((Results) roundTrip(new Results(0, new Object[] {4L}, -1))).heapAfterGc()).isEqualTo(-1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rebindAndSetupKeepTheirFunctionsAndFlags() {
        int offset = 10;
        SerializableFunction<Integer, Integer> fn = x -> x + offset;
        SerializableSupplier<String> init = () -> "state";
        Rebind back = (Rebind) roundTrip(new Rebind(fn, new Setup(init, true), new Chunk(5, new Object[] {1, 2})));
        assertThat(((SerializableFunction<Integer, Integer>) back.function()).apply(1)).isEqualTo(11);
        assertThat(((SerializableSupplier<String>) back.setup().initializer()).get()).isEqualTo("state");
        assertThat(back.setup().reportHeap()).isTrue();
        assertThat(back.chunk().base()).isEqualTo(5);
        assertThat(back.chunk().items()).containsExactly(1, 2);
        assertThat(roundTrip(Setup.NONE)).isEqualTo(Setup.NONE);
    }

    @Test
    void aCorruptItemCountIsACodecException() {
        Output out = new Output(64, -1);
        Codec.encode(out, new Chunk(0, new Object[] {1, 2, 3}));
        byte[] bytes = java.util.Arrays.copyOf(out.getBuffer(), out.position());
        // The class id, the base (0), the block kind, then the count: make the count huge.
        int countAt = bytes.length - 4;
        bytes[countAt] = (byte) 0xff;
        bytes[countAt + 1] = (byte) 0xff;
        assertThatThrownBy(() -> Codec.decode(bytes, 0, bytes.length)).isInstanceOf(CodecException.class);
    }
}
