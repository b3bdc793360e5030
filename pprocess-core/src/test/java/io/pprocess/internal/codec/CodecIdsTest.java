package io.pprocess.internal.codec;

import io.pprocess.internal.message.Chunk;
import io.pprocess.internal.message.InitFailed;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.ItemError;
import io.pprocess.internal.message.NextJob;
import io.pprocess.internal.message.Park;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.internal.message.Rebind;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.Results;
import io.pprocess.internal.message.Setup;
import io.pprocess.internal.message.Wrapped;
import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.wire.Frames.CodecId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Pins the codec's registration ids, which are wire format: a test here fails when an id is
 * renumbered, reused or dropped, or when the bytes of a registered value change.
 */
class CodecIdsTest {

    /** The table of {@code Frames}' Javadoc, written out: class, id. */
    private static final Map<Class<?>, Integer> TABLE = tableOf(
            ClosureSerializer.Closure.class, 40,
            RemoteFailure.class, 41,
            RemoteFailure[].class, 42,
            Object[].class, 43,
            String[].class, 44,
            int[].class, 45,
            long[].class, 46,
            double[].class, 47,
            byte[].class, 48,
            ArrayList.class, 49,
            HashMap.class, 50,
            LinkedHashMap.class, 51,
            HashSet.class, 52,
            LinkedHashSet.class, 53,
            TreeMap.class, 54,
            TreeSet.class, 55,
            LinkedList.class, 56,
            ArrayDeque.class, 57,
            Arrays.asList().getClass(), 58,
            Invocation.class, 59,
            NextJob.class, 60,
            Wrapped.class, 61,
            PersistentSpec.class, 62,
            Chunk.class, 63,
            Results.class, 64,
            ItemError.class, 65,
            Rebind.class, 66,
            Park.class, 67,
            LambdaShape.class, 68,
            Setup.class, 69,
            InitFailed.class, 70);

    private static Map<Class<?>, Integer> tableOf(Object... pairs) {
        Map<Class<?>, Integer> table = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            table.put((Class<?>) pairs[i], (Integer) pairs[i + 1]);
        }
        return table;
    }

    @Test
    void everyRegisteredClassHasItsPinnedId() {
        Kryo kryo = Codec.newKryo();
        TABLE.forEach((type, id) -> assertThat(kryo.getRegistration(type).getId())
                .as(type.getName()).isEqualTo(id));
    }

    @Test
    void theIdsAreTheDescriptorsAndNoneIsFreeOrExtra() {
        Kryo kryo = Codec.newKryo();
        assertThat(TABLE.values()).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(CodecId.FIRST, CodecId.LAST).boxed().toList());
        for (int id = CodecId.FIRST; id <= CodecId.LAST; id++) {
            assertThat(kryo.getRegistration(id)).as("id %d", id).isNotNull();
        }
        assertThat(kryo.getRegistration(CodecId.LAST + 1)).as("an id after LAST").isNull();
        assertThat(List.of(CodecId.LAMBDA, CodecId.REMOTE_FAILURE, CodecId.INVOCATION, CodecId.NEXT_JOB,
                CodecId.WRAPPED, CodecId.PERSISTENT_SPEC, CodecId.CHUNK, CodecId.RESULTS, CodecId.ITEM_ERROR,
                CodecId.REBIND, CodecId.PARK, CodecId.LAMBDA_SHAPE, CodecId.SETUP, CodecId.INIT_FAILED))
                .containsExactly(40, 41, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70);
    }

    private static String encoded(Object value) {
        Output out = new Output(64, -1);
        Codec.encode(out, value);
        return java.util.HexFormat.of().formatHex(out.getBuffer(), 0, out.position());
    }

    /** Each value starts with its class's id + 2 as a varint (0x2f is int[], 45), then Kryo's bytes. */
    @Test
    void registeredValuesEncodeToPinnedBytes() {
        assertThat(encoded(new int[] {7, -1})).isEqualTo("2f01030e01");
        assertThat(encoded(new ArrayList<>(List.of("a", 1)))).isEqualTo("330103030182610202");
        assertThat(encoded(new PersistentSpec("a", 5L))).isEqualTo("40010182610a");
        // A chunk: its base, the kind of item block (0: one by one with their classes; 1: Integers
        // as zig-zag varints), the count, the items (MessageSerializers).
        assertThat(encoded(new Chunk(3, new Object[] {"x"}))).isEqualTo("410103000103018278");
        assertThat(encoded(new Chunk(3, new Object[] {1, -1}))).isEqualTo("41010301020201");
        assertThat(encoded(new NextJob(new Object[] {2L}))).isEqualTo("3e012d01020904");
        assertThat(encoded(Park.INSTANCE)).isEqualTo("4501");
    }
}
