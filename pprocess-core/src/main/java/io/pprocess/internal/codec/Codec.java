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
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import io.pprocess.CodecException;
import io.pprocess.internal.wire.Frames.CodecId;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns objects into frame payloads and back, with Kryo.
 *
 * <p>Handles {@code null}, records, arrays, the JDK collections (including {@code List.of} and
 * {@code Map.of}), classes without a no-argument constructor, cyclic graphs, and lambdas or
 * method references with a {@code Serializable} target type. Objects that stand for a
 * resource of this process (threads, streams, sockets, class loaders) are refused.
 */
public final class Codec {

    private Codec() {
    }

    /**
     * Loads and links what decoding a task needs — Kryo, the lambda machinery — ahead of need,
     * so a waiting child runs its first task without that cost.
     */
    public static void warmUp() {
        io.pprocess.SerializableFunction<Object, Object> probe = x -> x;
        roundTrip(new Output(256, -1), new Invocation(probe, new Object[] {1}, null));
    }

    /** Encodes a value into {@code out} (emptied first) and decodes it again. */
    private static void roundTrip(Output out, Object value) {
        out.reset();
        encode(out, value);
        decode(out.getBuffer(), 0, out.position());
    }

    /**
     * Encodes a value into {@code output}.
     *
     * @param output where to write
     * @param value the value
     * @throws CodecException naming the value's class if it cannot be serialised
     */
    public static void encode(Output output, Object value) {
        encode(output, value, null);
    }

    /**
     * Checks that a function given to a call can be sent, so that the call fails rather than
     * every item it would run.
     *
     * @param function the function
     * @param role what it is, such as {@code "the function of pmap"}
     * @throws CodecException naming the function's class (its lambda's class and method) if it
     *     cannot be serialised
     */
    public static void requireSerialisable(Object function, String role) {
        if (PlainCodec.plainFunction(function)) {
            return;
        }
        encode(new Output(256, -1), function, role);
    }

    /**
     * Encodes a task given to a call into bytes of its own, for a message that carries it.
     *
     * @param task the task
     * @param role what it is, such as {@code "the task submitted"}
     * @param maxBytes the most bytes it may take
     * @return the encoded task
     * @throws CodecException naming the task's class (its lambda's class and method) if it
     *     cannot be serialised or takes more than {@code maxBytes}
     */
    public static byte[] encodeTask(Object task, String role, int maxBytes) {
        Output output = new Output(128, maxBytes);
        try {
            encode(output, task, role);
        } catch (CodecException e) {
            if (e.getCause() instanceof KryoException && output.position() >= maxBytes - 8) {
                throw new CodecException(role + " " + describeTask(task) + " takes more than the maximum frame size "
                        + maxBytes + " (pprocess.maxFrameBytes)", e.getCause());
            }
            throw e;
        }
        return output.toBytes();
    }

    private static void encode(Output output, Object value, String role) {
        if (PlainCodec.write(output, value)) {
            return;
        }
        Kryo kryo = Kryos.POOL.obtain();
        boolean reusable = true;
        try {
            kryo.writeClassAndObject(output, value);
        } catch (StackOverflowError e) {
            reusable = false;
            throw new CodecException("cannot serialise a value of class " + className(value)
                    + ": " + TOO_DEEP, e);
        } catch (KryoException | IllegalArgumentException | UnsupportedOperationException
                 | SecurityException | IllegalStateException | java.lang.reflect.InaccessibleObjectException e) {
            throw new CodecException("cannot serialise "
                    + (role != null ? role + " " + describeTask(value) : subject(value)) + ": "
                    + describe(e) + hint(e), e);
        } finally {
            release(kryo, reusable);
        }
    }

    /** What a stack overflow in the serialiser means. */
    private static final String TOO_DEEP = "it is nested too deeply (the serialiser's recursion overflowed the"
            + " stack); flatten the structure, or run in a thread with a larger stack";

    /** Returns a Kryo to the pool, or drops one that a stack overflow may have left inconsistent. */
    private static void release(Kryo kryo, boolean reusable) {
        if (reusable) {
            kryo.reset();
            Kryos.POOL.free(kryo);
        }
    }

    /**
     * Names what the user gave: for a task, the task (a lambda by the class and method that
     * define it) or the argument that cannot be serialised, never the envelope around it.
     */
    private static String subject(Object value) {
        if (!(value instanceof Invocation)) {
            if (value != null && value.getClass().isSynthetic() && value.getClass().getName().contains("$$Lambda")) {
                return "a value " + describeTask(value);
            }
            return "a value of class " + className(value);
        }
        Invocation invocation = (Invocation) value;
        Object[] args = invocation.args() == null ? new Object[0] : invocation.args();
        Output scratch = new Output(256, -1);
        for (int i = 0; i < args.length; i++) {
            if (!encodes(scratch, args[i])) {
                return "argument " + (i + 1) + " (of class " + className(args[i]) + ") of the task "
                        + describeTask(invocation.task());
            }
        }
        return "the task " + describeTask(invocation.task());
    }

    private static boolean encodes(Output scratch, Object value) {
        Kryo kryo = Kryos.POOL.obtain();
        try {
            scratch.reset();
            kryo.writeClassAndObject(scratch, value);
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            kryo.reset();
            Kryos.POOL.free(kryo);
        }
    }

    /**
     * Describes a task for a message: a lambda by the method that implements it, a wrapped
     * function by the function.
     *
     * @param task the task
     * @return the description
     */
    public static String describeTask(Object task) {
        if (task == null) {
            return "null";
        }
        Object inner = task;
        Class<?> type = inner.getClass();
        if (type.isSynthetic() && type.getName().contains("$$Lambda")) {
            try {
                java.lang.invoke.SerializedLambda sl = LambdaSerializer.serializedForm(inner);
                return "(lambda " + sl.getImplClass().replace('/', '.') + "." + sl.getImplMethodName()
                        + ", a " + sl.getFunctionalInterfaceClass().replace('/', '.') + ")";
            } catch (RuntimeException e) {
                String name = type.getName();
                return "(lambda of class " + name.substring(0, name.indexOf("$$Lambda")) + ")";
            }
        }
        return "(of class " + type.getName() + ")";
    }

    /** The module and package in the JDK's message when a module does not open a package. */
    private static final java.util.regex.Pattern CLOSED_PACKAGE =
            java.util.regex.Pattern.compile("module (\\S+) does not \"(?:opens|exports) (\\S+)\" to");

    /** What to do about a failure, when the codec can tell. */
    private static String hint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.lang.reflect.InaccessibleObjectException) {
                java.util.regex.Matcher closed = CLOSED_PACKAGE.matcher(String.valueOf(t.getMessage()));
                if (closed.find() && !closed.group(1).startsWith("java.") && !closed.group(1).startsWith("jdk.")) {
                    return "; module " + closed.group(1) + " does not open package " + closed.group(2)
                            + " to pprocess: add \"opens " + closed.group(2) + " to io.pprocess,"
                            + " com.esotericsoftware.kryo;\" to its module-info.java (pprocess rebuilds its"
                            + " lambdas, Kryo reads and makes its objects)";
                }
                return "; the JDK does not let the codec read that class's fields: add --add-opens for its"
                        + " package to this JVM and to the children (PProcess.setJvmOptions), or send a"
                        + " value of a type of your own instead";
            }
            if (t instanceof java.io.NotSerializableException) {
                return "; a JDK value is sent with Java serialisation, so what it holds must implement"
                        + " java.io.Serializable";
            }
        }
        return "";
    }

    /**
     * Decodes a value from a payload.
     *
     * @param buffer the bytes
     * @param offset where the payload starts
     * @param length its length
     * @return the value
     * @throws CodecException if it cannot be decoded (a missing class, corrupt data)
     */
    public static Object decode(byte[] buffer, int offset, int length) {
        if (length > 0 && (buffer[offset] & 0xff) == PlainCodec.TAG) {
            return decodePlain(buffer, offset, length);
        }
        Kryo kryo = Kryos.POOL.obtain();
        boolean reusable = true;
        try {
            Input input = new Input(buffer, offset, length);
            Object value = kryo.readClassAndObject(input);
            requireAllRead(input, offset, length);
            return value;
        } catch (KryoException | IndexOutOfBoundsException | IllegalArgumentException
                 | NegativeArraySizeException | ClassCastException e) {
            throw new CodecException("cannot decode a message of " + length + " bytes: " + describe(e), e);
        } catch (StackOverflowError e) {
            reusable = false;
            throw new CodecException("cannot decode a message of " + length + " bytes: " + TOO_DEEP, e);
        } finally {
            release(kryo, reusable);
        }
    }

    /** Fails if a decoded message left some of its bytes unread. */
    private static void requireAllRead(Input input, int offset, int length) {
        if (input.position() != offset + length) {
            throw new CodecException("cannot decode a message: " + (offset + length - input.position())
                    + " of its " + length + " bytes were left unread", null);
        }
    }

    /** Decodes a payload that {@link PlainCodec} wrote, failing as {@link #decode} does. */
    private static Object decodePlain(byte[] buffer, int offset, int length) {
        try {
            Input input = new Input(buffer, offset, length);
            Object value = PlainCodec.read(input, loader());
            requireAllRead(input, offset, length);
            return value;
        } catch (KryoException | IndexOutOfBoundsException | IllegalArgumentException
                 | NegativeArraySizeException | ClassCastException e) {
            throw new CodecException("cannot decode a message of " + length + " bytes: " + describe(e), e);
        }
    }

    /**
     * Prepares, in a waiting child, the kinds of task its parent announced: see
     * {@link LambdaShape}. A task of each kind, and small values of common types, are then
     * encoded and decoded {@value #PREPARE_ROUNDS} times each, so that the compiler has made
     * receiving the task and sending its first messages fast by the time a real one arrives.
     *
     * @param shapes the decoded announcement: a list of shapes
     * @return how many shapes were prepared
     */
    public static int prepare(Object shapes) {
        if (!(shapes instanceof List<?>)) {
            return 0;
        }
        List<Object> lambdas = LambdaShape.prepareAll((List<?>) shapes, loader());
        List<Object> exercised = new ArrayList<>();
        for (Object lambda : lambdas) {
            exercised.add(new Invocation(lambda, new Object[0], null));
        }
        if (!lambdas.isEmpty()) {
            exercised.addAll(Arrays.asList(COMMON_VALUES));
        }
        Output out = new Output(256, -1);
        for (Object value : exercised) {
            try {
                for (int i = 0; i < PREPARE_ROUNDS; i++) {
                    roundTrip(out, value);
                }
            } catch (RuntimeException e) {
                // Only a head start, as above.
            }
        }
        return lambdas.size();
    }

    /** Values like the first messages of many tasks, exercised by {@link #prepare}. */
    private static final Object[] COMMON_VALUES = {1, 1L, 1.0, "text", new int[] {1}, new ArrayList<>(List.of(1))};

    /** How many times {@link #prepare} encodes and decodes each value. */
    static final int PREPARE_ROUNDS = 300;

    private static String className(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getName();
        }
        return m.strip();
    }

    /** @return a Kryo set up as every one of the codec's */
    static Kryo newKryo() {
        return Kryos.create();
    }

    /**
     * The codec's Kryos and their set-up, apart from the rest of the codec: a process that only
     * sends plain payloads ({@link PlainCodec}) never loads, links or runs them (the verification
     * of the set-up alone loads some 30 of Kryo's classes).
     */
    private static final class Kryos {
        static final Pool<Kryo> POOL = new Pool<>(true, false, 32) {
            @Override
            protected Kryo create() {
                return Kryos.create();
            }
        };

        private Kryos() {
        }

        static Kryo create() {
            Kryo kryo = new JdkAwareKryo();
            kryo.setRegistrationRequired(false);
            kryo.setReferences(true);
            kryo.setClassLoader(loader());
            kryo.setInstantiatorStrategy(new ModuleAwareInstantiation());
            ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
            kryo.addDefaultSerializer(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
            kryo.addDefaultSerializer(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
            kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
            kryo.addDefaultSerializer(AtomicReference.class, new DefaultSerializers.AtomicReferenceSerializer());
            kryo.addDefaultSerializer(ConcurrentHashMap.class, new MapSerializer<ConcurrentHashMap<?, ?>>());
            // Fixed registrations keep common payloads small; the ids are wire format (Frames.CodecId).
            kryo.register(ClosureSerializer.Closure.class, new LambdaSerializer(), CodecId.LAMBDA);
            kryo.register(RemoteFailure.class, CodecId.REMOTE_FAILURE);
            kryo.register(RemoteFailure[].class, CodecId.REMOTE_FAILURE_ARRAY);
            kryo.register(Object[].class, CodecId.OBJECT_ARRAY);
            kryo.register(String[].class, CodecId.STRING_ARRAY);
            kryo.register(int[].class, CodecId.INT_ARRAY);
            kryo.register(long[].class, CodecId.LONG_ARRAY);
            kryo.register(double[].class, CodecId.DOUBLE_ARRAY);
            kryo.register(byte[].class, CodecId.BYTE_ARRAY);
            kryo.register(ArrayList.class, CodecId.ARRAY_LIST);
            kryo.register(HashMap.class, CodecId.HASH_MAP);
            kryo.register(LinkedHashMap.class, CodecId.LINKED_HASH_MAP);
            kryo.register(HashSet.class, CodecId.HASH_SET);
            kryo.register(LinkedHashSet.class, CodecId.LINKED_HASH_SET);
            kryo.register(TreeMap.class, CodecId.TREE_MAP);
            kryo.register(TreeSet.class, CodecId.TREE_SET);
            kryo.register(LinkedList.class, CodecId.LINKED_LIST);
            kryo.register(ArrayDeque.class, CodecId.ARRAY_DEQUE);
            kryo.register(Arrays.asList().getClass(), CodecId.ARRAYS_AS_LIST);
            kryo.register(Invocation.class, new InvocationSerializer(), CodecId.INVOCATION);
            kryo.register(NextJob.class, CodecId.NEXT_JOB);
            kryo.register(Wrapped.class, CodecId.WRAPPED);
            kryo.register(PersistentSpec.class, CodecId.PERSISTENT_SPEC);
            kryo.register(Chunk.class, new MessageSerializers.ChunkSerializer(), CodecId.CHUNK);
            kryo.register(Results.class, new MessageSerializers.ResultsSerializer(), CodecId.RESULTS);
            kryo.register(ItemError.class, CodecId.ITEM_ERROR);
            kryo.register(Rebind.class, new MessageSerializers.RebindSerializer(), CodecId.REBIND);
            kryo.register(Park.class, CodecId.PARK);
            kryo.register(LambdaShape.class, CodecId.LAMBDA_SHAPE);
            kryo.register(Setup.class, new MessageSerializers.SetupSerializer(), CodecId.SETUP);
            kryo.register(InitFailed.class, CodecId.INIT_FAILED);
            kryo.register(TaskBatch.class, CodecId.TASK_BATCH);
            kryo.register(SkipTask.class, CodecId.SKIP_TASK);
            kryo.register(TaskOutcome.class, CodecId.TASK_OUTCOME);
            kryo.register(PlainCodec.Payload.class, new PlainCodec.Refused(), CodecId.PLAIN);
            // The library's own tasks (ids EXECUTOR_WORKER..KEPT_WORKER_TASK) are registered at their
            // ids when first met: WireClassResolver.
            Serializer<Object> refuse = new Refusing();
            for (Class<?> c : new Class<?>[] {Thread.class, ThreadGroup.class, ClassLoader.class,
                    InputStream.class, OutputStream.class, Reader.class, Writer.class, Socket.class,
                    ServerSocket.class, java.nio.channels.Channel.class, Process.class,
                    java.io.FileDescriptor.class, java.util.concurrent.ExecutorService.class,
                    io.pprocess.Channel.class}) {
                kryo.addDefaultSerializer(c, refuse);
            }
            return kryo;
        }
    }

    /**
     * Refuses to send or receive a class of the library's internals by name. Every such class
     * that crosses the wire has a fixed id ({@code Frames.CodecId}); one without is a defect of
     * the library, which this makes fail at once (in its tests) instead of costing its name in
     * every message and leaving the wire format unpinned. Only the library's own classes are
     * concerned (not a test's or an application's that happen to share a package name).
     *
     * <p>It also registers the tasks the library itself sends a child ({@link #LIBRARY_TASKS})
     * at their fixed ids when one is first written or read, so that a process loads only those
     * it uses. Their packages depend on this one, so they are named here, not imported.
     */
    private static final class WireClassResolver extends DefaultClassResolver {
        private static final java.security.CodeSource LIBRARY = Codec.class.getProtectionDomain().getCodeSource();

        /** The library's tasks by id. */
        private static final java.util.Map<Integer, String> LIBRARY_TASKS = java.util.Map.of(
                CodecId.EXECUTOR_WORKER, "io.pprocess.internal.executor.ExecutorWorker",
                CodecId.PMAP_WORKER, "io.pprocess.internal.exchange.Batches$Worker",
                CodecId.INITIALISED, "io.pprocess.internal.exchange.Batches$Initialised",
                CodecId.KEPT_WORKER_TASK, "io.pprocess.internal.spawn.KeptWorkerTask");
        /** The same by name. */
        private static final java.util.Map<String, Integer> LIBRARY_TASK_IDS = new HashMap<>();

        static {
            for (java.util.Map.Entry<Integer, String> task : LIBRARY_TASKS.entrySet()) {
                LIBRARY_TASK_IDS.put(task.getValue(), task.getKey());
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Registration registerImplicit(Class type) {
            Integer id = LIBRARY_TASK_IDS.get(type.getName());
            if (id != null && type.getClassLoader() == Codec.class.getClassLoader()) {
                return kryo.register(type, id);
            }
            return super.registerImplicit(type);
        }

        @Override
        public Registration getRegistration(int classID) {
            Registration registration = super.getRegistration(classID);
            return registration != null ? registration : registerLibraryTask(classID);
        }

        @Override
        public Registration readClass(Input input) {
            int at = input.position();
            try {
                return super.readClass(input);
            } catch (KryoException e) {
                input.setPosition(at);
                int id = input.readVarInt(true) - 2;
                input.setPosition(at);
                if (super.getRegistration(id) != null || registerLibraryTask(id) == null) {
                    throw e;
                }
                return super.readClass(input);
            }
        }

        /** Registers the library's task of this id; null if the id is not one of theirs. */
        private Registration registerLibraryTask(int id) {
            String name = LIBRARY_TASKS.get(id);
            if (name == null) {
                return null;
            }
            try {
                return kryo.register(Class.forName(name, false, Codec.class.getClassLoader()), id);
            } catch (ClassNotFoundException e) {
                throw new KryoException("the codec registers " + name + " at id " + id + " (Frames.CodecId), but"
                        + " the library has no such class", e);
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected void writeName(Output output, Class type, Registration registration) {
            refuseUnregisteredInternal(type);
            super.writeName(output, type, registration);
        }

        @Override
        protected Registration readName(Input input) {
            Registration registration = super.readName(input);
            if (registration != null) {
                refuseUnregisteredInternal(registration.getType());
            }
            return registration;
        }

        private static void refuseUnregisteredInternal(Class<?> type) {
            Class<?> element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith("io.pprocess.internal.")
                    && java.util.Objects.equals(element.getProtectionDomain().getCodeSource(), LIBRARY)) {
                throw new KryoException(type.getName() + " is a class of the library's internals that crosses the"
                        + " wire without a fixed registration id: give it the next id in Frames.CodecId and"
                        + " register it in Codec.newKryo");
            }
        }
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Codec.class.getClassLoader();
    }

    /**
     * Kryo that never needs {@code --add-opens}. Kryo reads a class it has no serialiser for
     * field by field through reflection, which the JDK's modules forbid for their own classes;
     * and its generic collection serialisers rebuild a collection with its no-argument
     * constructor, which loses a capacity or a comparator and fails without one. So a JDK class
     * that would get one of those is sent with the JDK's own serialisation when it is
     * {@code Serializable} (the atomic arrays, {@code LongAdder}, {@code ArrayBlockingQueue},
     * {@code ConcurrentSkipListSet}, the unmodifiable wrappers...) and refused with a reason
     * otherwise. The choice depends on the class only, so both ends make the same one.
     */
    private static final class JdkAwareKryo extends Kryo {
        JdkAwareKryo() {
            super(new WireClassResolver(), null);
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected Serializer newDefaultSerializer(Class type) {
            if (!jdkClass(type)) {
                return super.newDefaultSerializer(type);
            }
            if (java.io.Serializable.class.isAssignableFrom(type)) {
                return new JavaSerializer();
            }
            return new Refusing(type.getName() + " is a JDK class that the codec cannot read without"
                    + " reflection into module " + type.getModule().getName() + ", and it is not Serializable");
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Serializer getDefaultSerializer(Class type) {
            Serializer serializer = super.getDefaultSerializer(type);
            Class<?> kind = serializer.getClass();
            if ((kind == CollectionSerializer.class || kind == MapSerializer.class) && jdkClass(type)
                    && java.io.Serializable.class.isAssignableFrom(type) && !rebuildsFaithfully(type)) {
                return new JavaSerializer();
            }
            return serializer;
        }

        /** Whether an empty instance and {@code add}/{@code put} rebuild the value as it was. */
        private static boolean rebuildsFaithfully(Class<?> type) {
            if (java.util.SortedMap.class.isAssignableFrom(type) || java.util.SortedSet.class.isAssignableFrom(type)
                    || java.util.concurrent.BlockingQueue.class.isAssignableFrom(type)
                    || java.util.PriorityQueue.class.isAssignableFrom(type)) {
                return false;
            }
            try {
                return java.lang.reflect.Modifier.isPublic(type.getModifiers())
                        && java.lang.reflect.Modifier.isPublic(type.getConstructor().getModifiers());
            } catch (NoSuchMethodException e) {
                return false;
            }
        }

        private static boolean jdkClass(Class<?> type) {
            Module module = type.getModule();
            return module.isNamed() && module.getLayer() == ModuleLayer.boot()
                    && (module.getName().startsWith("java.") || module.getName().startsWith("jdk."))
                    && !type.isArray() && !type.isEnum() && !type.isRecord();
        }
    }

    /**
     * Makes the objects Kryo reads. Kryo's own strategy first generates a constructor accessor
     * class (reflectasm) in the unnamed module, which a named module's classes refuse with an
     * {@code IllegalAccessError}: so a class of a named module other than the JDK's (pprocess
     * itself on the module path, or an application's module) is made through its no-argument
     * constructor by reflection (the package must be open to pprocess), else without a
     * constructor (Objenesis), as Kryo does when there is none.
     */
    private static final class ModuleAwareInstantiation implements org.objenesis.strategy.InstantiatorStrategy {
        private final DefaultInstantiatorStrategy classic = new DefaultInstantiatorStrategy(new StdInstantiatorStrategy());
        private final StdInstantiatorStrategy withoutConstructor = new StdInstantiatorStrategy();

        @Override
        @SuppressWarnings("unchecked")
        public <T> org.objenesis.instantiator.ObjectInstantiator<T> newInstantiatorOf(Class<T> type) {
            Module module = type.getModule();
            if (!module.isNamed() || module.getLayer() == ModuleLayer.boot()
                    && (module.getName().startsWith("java.") || module.getName().startsWith("jdk."))) {
                return classic.newInstantiatorOf(type);
            }
            java.lang.reflect.Constructor<T> constructor;
            try {
                constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                return withoutConstructor.newInstantiatorOf(type);
            }
            return () -> {
                try {
                    return constructor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new KryoException("cannot create an instance of " + type.getName() + ": " + e, e);
                }
            };
        }
    }

    /** Refuses values that stand for something that cannot leave this process. */
    private static final class Refusing extends Serializer<Object> {
        private final String reason;

        Refusing() {
            this(null);
        }

        Refusing(String reason) {
            this.reason = reason;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            throw new KryoException(reason != null ? reason : object.getClass().getName()
                    + " stands for a resource of this process (a thread, stream, socket, channel or class"
                    + " loader) and cannot be sent");
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            throw new KryoException(type.getName() + " cannot be received");
        }
    }
}
