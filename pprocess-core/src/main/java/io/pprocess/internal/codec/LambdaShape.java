package io.pprocess.internal.codec;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.util.List;

/**
 * What a serialisable lambda is, without what it captured: enough for a waiting child to load
 * the lambda's class and link it before a task of that kind arrives, so that the task itself
 * is decoded in microseconds.
 *
 * <p>Preparing a shape makes a throwaway instance of the lambda with default values (null,
 * zero, false) in place of the captured ones; it never runs the lambda. It does initialise the
 * lambda's capturing class, as the task itself would.
 *
 * @param capturingClass the binary name of the class that holds the lambda
 * @param functionalInterfaceClass the functional interface, in internal form
 * @param functionalInterfaceMethodName its method's name
 * @param functionalInterfaceMethodSignature its method's descriptor
 * @param implMethodKind the implementation's method handle kind
 * @param implClass the implementation's class, in internal form
 * @param implMethodName the implementation's name
 * @param implMethodSignature the implementation's descriptor
 * @param instantiatedMethodType the instantiated descriptor
 * @param capturedArgCount how many values the lambda captured
 */
public record LambdaShape(String capturingClass, String functionalInterfaceClass,
                          String functionalInterfaceMethodName, String functionalInterfaceMethodSignature,
                          int implMethodKind, String implClass, String implMethodName,
                          String implMethodSignature, String instantiatedMethodType, int capturedArgCount) {

    /**
     * Describes a task if it is a serialisable lambda or method reference.
     *
     * @param task the task
     * @return its shape, or {@code null} if it is not a serialisable lambda
     */
    public static LambdaShape of(Object task) {
        if (task == null || !task.getClass().isSynthetic()) {
            return null;
        }
        LambdaShape[] cell = SHAPES.get(task.getClass());
        LambdaShape shape = cell[0];
        if (shape == null) {
            shape = describe(task);
            cell[0] = shape;
        }
        return shape == NONE ? null : shape;
    }

    /** The shape of each lambda class, found once: it does not depend on the captured values. */
    private static final ClassValue<LambdaShape[]> SHAPES = new ClassValue<>() {
        @Override
        protected LambdaShape[] computeValue(Class<?> type) {
            return new LambdaShape[1];
        }
    };

    /** Marks a class that is not a serialisable lambda. */
    private static final LambdaShape NONE = new LambdaShape("", "", "", "", 0, "", "", "", "", 0);

    private static LambdaShape describe(Object task) {
        SerializedLambda sl;
        try {
            sl = LambdaSerializer.serializedForm(task);
        } catch (RuntimeException e) {
            return NONE;
        }
        return new LambdaShape(sl.getCapturingClass().replace('/', '.'), sl.getFunctionalInterfaceClass(),
                sl.getFunctionalInterfaceMethodName(), sl.getFunctionalInterfaceMethodSignature(),
                sl.getImplMethodKind(), sl.getImplClass(), sl.getImplMethodName(), sl.getImplMethodSignature(),
                sl.getInstantiatedMethodType(), sl.getCapturedArgCount());
    }

    /**
     * Prepares each shape in this process: loads its classes and links its lambda. A shape that
     * cannot be prepared (its class is missing, its capturing class fails to initialise) is
     * passed over; the task of that kind reports the problem when it arrives.
     *
     * @param shapes the shapes; other elements are ignored
     * @param loader the class loader of the tasks
     * @return a throwaway instance of each lambda prepared
     */
    public static List<Object> prepareAll(List<?> shapes, ClassLoader loader) {
        List<Object> prepared = new java.util.ArrayList<>(shapes.size());
        for (Object s : shapes) {
            if (s instanceof LambdaShape) {
                try {
                    prepared.add(((LambdaShape) s).prepare(loader));
                } catch (RuntimeException | LinkageError e) {
                    // Only a head start: the task of this kind reports any real problem.
                }
            }
        }
        return prepared;
    }

    /**
     * Makes a throwaway instance of the lambda, with default values for what it captured.
     *
     * @param loader the class loader of the tasks
     * @return the instance
     * @throws RuntimeException if a class is missing or the lambda cannot be made
     * @throws LinkageError if a class cannot be loaded or initialised
     */
    Object prepare(ClassLoader loader) {
        Class<?> capturing;
        try {
            capturing = Class.forName(capturingClass, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("class " + capturingClass + " is not on the class path", e);
        }
        Object[] captured = new Object[capturedArgCount];
        List<Class<?>> capturedTypes = capturedTypes(loader);
        for (int i = 0; i < captured.length; i++) {
            captured[i] = defaultValue(capturedTypes.get(i));
        }
        return LambdaSerializer.rebuild(capturing, new SerializedLambda(capturing, functionalInterfaceClass,
                functionalInterfaceMethodName, functionalInterfaceMethodSignature, implMethodKind, implClass,
                implMethodName, implMethodSignature, instantiatedMethodType, captured));
    }

    /** The types of the captured values: the receiver first for an instance method, then leading parameters. */
    private List<Class<?>> capturedTypes(ClassLoader loader) {
        List<Class<?>> parameters = MethodType.fromMethodDescriptorString(implMethodSignature, loader).parameterList();
        boolean receiver = implMethodKind == MethodHandleInfo.REF_invokeVirtual
                || implMethodKind == MethodHandleInfo.REF_invokeInterface
                || implMethodKind == MethodHandleInfo.REF_invokeSpecial;
        int fromParameters = capturedArgCount - (receiver && capturedArgCount > 0 ? 1 : 0);
        if (fromParameters > parameters.size()) {
            throw new IllegalStateException("lambda " + implMethodName + " captures " + capturedArgCount
                    + " values but its method takes " + parameters.size() + " parameters");
        }
        List<Class<?>> types = new java.util.ArrayList<>(capturedArgCount);
        if (receiver && capturedArgCount > 0) {
            types.add(Object.class);
        }
        types.addAll(parameters.subList(0, fromParameters));
        return types;
    }

    private static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        return 0d;
    }
}
