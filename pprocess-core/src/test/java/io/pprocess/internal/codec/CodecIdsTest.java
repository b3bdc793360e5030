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
import io.pprocess.internal.message.SkipTask;
import io.pprocess.internal.message.TaskBatch;
import io.pprocess.internal.message.TaskOutcome;
import io.pprocess.internal.message.Wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pprocess.CodecException;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableSupplier;
import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.executor.ExecutorWorker;
import io.pprocess.internal.spawn.KeptWorkerTask;
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
 * renumbered, reused or dropped, when the bytes of a registered value change, or when a class
 * of the library's internals that can cross the wire has no fixed id.
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
            InitFailed.class, 70,
            TaskBatch.class, 71,
            SkipTask.class, 72,
            TaskOutcome.class, 73,
            ExecutorWorker.class, 74,
            Batches.worker((SerializableFunction<Object, Object>) x -> x, Setup.NONE).getClass(), 75,
            Batches.initialising(new ExecutorWorker(), (SerializableSupplier<Object>) () -> null).getClass(), 76,
            KeptWorkerTask.class, 77,
            PlainCodec.Payload.class, 78);

    /**
     * The library's serialisable internal classes that never cross the wire (enums of
     * settings and states): any other is a task or a message, and needs an id.
     */
    private static final java.util.Set<String> NEVER_SENT = java.util.Set.of(
            "io.pprocess.internal.Setting",
            "io.pprocess.internal.channel.FrameChannel$Input",
            "io.pprocess.internal.persist.Addresses$State");

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
                CodecId.REBIND, CodecId.PARK, CodecId.LAMBDA_SHAPE, CodecId.SETUP, CodecId.INIT_FAILED,
                CodecId.TASK_BATCH, CodecId.SKIP_TASK, CodecId.TASK_OUTCOME, CodecId.EXECUTOR_WORKER,
                CodecId.PMAP_WORKER, CodecId.INITIALISED, CodecId.KEPT_WORKER_TASK, CodecId.PLAIN))
                .containsExactly(40, 41, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
                        71, 72, 73, 74, 75, 76, 77, 78);
    }

    /**
     * Every message, and every serialisable class of the library's internals (the tasks it
     * sends a child), has a fixed id: a new one without fails here, naming it.
     */
    @Test
    void everyInternalClassThatCanCrossTheWireHasAFixedId() {
        Kryo kryo = Codec.newKryo();
        List<String> missing = new ArrayList<>();
        List<String> wire = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pprocess.internal")) {
            boolean message = c.getPackageName().equals("io.pprocess.internal.message") && c.isTopLevelClass()
                    && !c.getSimpleName().equals("package-info") && !c.isInterface();
            boolean sendable = c.isAssignableTo(java.io.Serializable.class) && !c.isAssignableTo(Throwable.class)
                    && !c.isInterface() && !c.isAnonymousClass() && !NEVER_SENT.contains(c.getName());
            if (!message && !sendable) {
                continue;
            }
            wire.add(c.getName());
            int id = kryo.getRegistration(c.reflect()).getId();
            if (id < CodecId.FIRST || id > CodecId.LAST) {
                missing.add(c.getName());
            }
        }
        assertThat(wire).as("the classes found").contains(TaskOutcome.class.getName(), ExecutorWorker.class.getName(),
                KeptWorkerTask.class.getName());
        assertThat(missing).as("internal classes that can cross the wire without a fixed id").isEmpty();
    }

    /**
     * The library's own tasks are registered at their ids when a Kryo first writes or reads
     * one, not before (a process loads only the tasks it uses).
     */
    @Test
    void theLibrarysTasksAreRegisteredWhenFirstWrittenOrRead() {
        Kryo reader = Codec.newKryo();
        assertThat(reader.getClassResolver().getRegistration(ExecutorWorker.class)).as("before any use").isNull();
        Object task = reader.readClassAndObject(new com.esotericsoftware.kryo.io.Input(new byte[] {0x4c, 0x01}));
        assertThat(task).isInstanceOf(ExecutorWorker.class);
        assertThat(reader.getClassResolver().getRegistration(ExecutorWorker.class).getId())
                .isEqualTo(CodecId.EXECUTOR_WORKER);
        Kryo writer = Codec.newKryo();
        assertThat(writer.getClassResolver().getRegistration(KeptWorkerTask.class)).as("before any use").isNull();
        Output out = new Output(16, -1);
        writer.writeClassAndObject(out, KeptWorkerTask.SERVE);
        assertThat(java.util.HexFormat.of().formatHex(out.toBytes())).isEqualTo("4f01");
        assertThatThrownBy(() -> Codec.newKryo().readClassAndObject(
                new com.esotericsoftware.kryo.io.Input(new byte[] {(byte) (CodecId.LAST + 3), 0x01})))
                .as("an id after LAST").hasMessageContaining("unregistered class ID: " + (CodecId.LAST + 1));
    }

    /** A library class without an id is refused by name both ways, with what to do about it. */
    @Test
    void anInternalClassWithoutAnIdIsRefusedOnBothSides() {
        Object unregistered = io.pprocess.internal.Setting.values()[0];
        assertThatThrownBy(() -> Codec.encode(new Output(64, -1), unregistered))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.pprocess.internal.Setting")
                .hasMessageContaining("without a fixed registration id")
                .hasMessageContaining("Frames.CodecId");
        Kryo plain = new Kryo();
        plain.setRegistrationRequired(false);
        Output out = new Output(64, -1);
        plain.writeClassAndObject(out, unregistered);
        assertThatThrownBy(() -> Codec.decode(out.getBuffer(), 0, out.position()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.pprocess.internal.Setting")
                .hasMessageContaining("without a fixed registration id");
    }

    /** An application's (here a test's) class in a package named like the internals is sent as ever. */
    record SameNamedPackage(String text) {
    }

    @Test
    void aClassOutsideTheLibraryIsNotRefused() {
        Output out = new Output(64, -1);
        Codec.encode(out, new SameNamedPackage("x"));
        assertThat(Codec.decode(out.getBuffer(), 0, out.position())).isEqualTo(new SameNamedPackage("x"));
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
        // A chunk of numbers only is a plain payload (PlainCodec): the tag 0x50 (CodecId.PLAIN + 2),
        // kind 1 (a chunk), its base, then the same block.
        assertThat(encoded(new Chunk(3, new Object[] {1, -1}))).isEqualTo("50010301020201");
        assertThat(encoded(new NextJob(new Object[] {2L}))).isEqualTo("3e012d01020904");
        assertThat(encoded(Park.INSTANCE)).isEqualTo("5003");
        assertThat(encoded(new TaskBatch(new long[] {5}, new byte[][] {{1}}))).isEqualTo("490101020a0102010201");
        assertThat(encoded(new SkipTask(5))).isEqualTo("4a010a");
        assertThat(encoded(new TaskOutcome(5, "x", null, false))).isEqualTo("4b01000a0003018278");
        assertThat(encoded(new ExecutorWorker())).isEqualTo("4c01");
        assertThat(encoded(KeptWorkerTask.SERVE)).isEqualTo("4f01");
    }
}
