package io.pprocess.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Serialises lambdas and method references whose target type is {@code Serializable}.
 *
 * <p>Unlike Kryo's own closure serialiser this needs no {@code --add-opens}: it reads the
 * lambda through its generated {@code writeReplace} and rebuilds it through the capturing
 * class's {@code $deserializeLambda$}, both of which live in user code.
 */
final class LambdaSerializer extends Serializer<Object> {

    @Override
    public void write(Kryo kryo, Output output, Object lambda) {
        SerializedLambda sl = serializedForm(lambda);
        writeForm(output, sl);
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            kryo.writeClassAndObject(output, sl.getCapturedArg(i));
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        return readForm(input, kryo.getClassLoader(), new CapturedValues() {
            @Override
            public Object[] read(Input in, int n) {
                Object[] captured = new Object[n];
                for (int i = 0; i < n; i++) {
                    captured[i] = kryo.readClassAndObject(in);
                }
                return captured;
            }
        });
    }

    /** Reads the values a lambda captured, once their count is known. */
    interface CapturedValues {
        Object[] read(Input input, int count);
    }

    /**
     * Writes a serialised form's classes, methods and signatures, then the count of its captured
     * values; the caller writes the values after it.
     */
    static void writeForm(Output output, SerializedLambda sl) {
        output.writeString(sl.getCapturingClass().replace('/', '.'));
        output.writeString(sl.getFunctionalInterfaceClass());
        output.writeString(sl.getFunctionalInterfaceMethodName());
        output.writeString(sl.getFunctionalInterfaceMethodSignature());
        output.writeVarInt(sl.getImplMethodKind(), true);
        output.writeString(sl.getImplClass());
        output.writeString(sl.getImplMethodName());
        output.writeString(sl.getImplMethodSignature());
        output.writeString(sl.getInstantiatedMethodType());
        output.writeVarInt(sl.getCapturedArgCount(), true);
    }

    /**
     * Reads what {@link #writeForm} wrote, the captured values through {@code values}, and makes
     * the lambda.
     *
     * @throws KryoException if the capturing class is not on this process's class path, or as
     *     {@link #rebuild}
     */
    static Object readForm(Input input, ClassLoader loader, CapturedValues values) {
        String capturing = input.readString();
        String fiClass = input.readString();
        String fiMethod = input.readString();
        String fiSignature = input.readString();
        int implKind = input.readVarInt(true);
        String implClass = input.readString();
        String implMethod = input.readString();
        String implSignature = input.readString();
        String instantiated = input.readString();
        Object[] captured = values.read(input, input.readVarInt(true));
        Class<?> capturingClass;
        try {
            capturingClass = Class.forName(capturing, false, loader);
        } catch (ClassNotFoundException e) {
            throw new KryoException("cannot rebuild lambda: its capturing class " + capturing
                    + " is not on this process's class path", e);
        }
        return rebuild(capturingClass, new SerializedLambda(capturingClass, fiClass, fiMethod, fiSignature,
                implKind, implClass, implMethod, implSignature, instantiated, captured));
    }

    /**
     * Makes the lambda a serialised form describes, through its capturing class.
     *
     * @param capturingClass the class that holds the lambda
     * @param sl the serialised form
     * @return the lambda
     * @throws KryoException naming the lambda if it cannot be made
     */
    static Object rebuild(Class<?> capturingClass, SerializedLambda sl) {
        try {
            Method m = DESERIALIZE_LAMBDA.get(capturingClass).orElseThrow(() -> new NoSuchMethodException(
                    capturingClass.getName() + ".$deserializeLambda$(java.lang.invoke.SerializedLambda)"));
            return m.invoke(null, sl);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KryoException("cannot rebuild lambda " + sl.getImplClass().replace('/', '.') + "::"
                    + sl.getImplMethodName() + " captured in " + capturingClass.getName() + ": " + cause, cause);
        }
    }

    static SerializedLambda serializedForm(Object lambda) {
        Class<?> type = lambda.getClass();
        try {
            Method writeReplace = WRITE_REPLACE.get(type).orElseThrow(() -> new KryoException("lambda "
                    + type.getName() + " is not serialisable: its target type must extend java.io.Serializable"
                    + " (use ChannelTask, SerializableFunction, SerializableCallable or an intersection cast such as"
                    + " (Runnable & Serializable))"));
            Object replaced = writeReplace.invoke(lambda);
            if (!(replaced instanceof SerializedLambda)) {
                throw new KryoException("lambda " + type.getName() + " did not describe itself");
            }
            return (SerializedLambda) replaced;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof KryoException) {
                throw (KryoException) e;
            }
            throw new KryoException("cannot read lambda " + type.getName() + ": " + e, e);
        }
    }

    /** Each lambda class's accessible {@code writeReplace}, looked up once. */
    private static final ClassValue<Optional<Method>> WRITE_REPLACE = declaredMethod("writeReplace");

    /** Each capturing class's accessible {@code $deserializeLambda$}, looked up once. */
    private static final ClassValue<Optional<Method>> DESERIALIZE_LAMBDA =
            declaredMethod("$deserializeLambda$", SerializedLambda.class);

    /**
     * Looks up, once per class, a method the class itself declares, made accessible: every
     * task sent and every task received needs one, and a lookup copies reflection data.
     *
     * @param name the method's name
     * @param parameters its parameter types
     * @return the method of each class, or empty for a class that does not declare it
     */
    private static ClassValue<Optional<Method>> declaredMethod(String name, Class<?>... parameters) {
        return new ClassValue<>() {
            @Override
            protected Optional<Method> computeValue(Class<?> type) {
                Method m;
                try {
                    m = type.getDeclaredMethod(name, parameters);
                } catch (NoSuchMethodException e) {
                    return Optional.empty();
                }
                m.setAccessible(true);
                return Optional.of(m);
            }
        };
    }
}
