package io.pprocess.cluster.internal;

import io.pprocess.SerializableFunction;
import java.util.concurrent.Callable;

/**
 * The function of a task of the cluster's executor: it ignores its item and runs the task, a
 * serialisable {@link Callable} or {@link Runnable}. A checked exception the task throws is
 * thrown as it is, so the driver sees its class.
 *
 * @param task the task
 */
public record TaskFunction(Object task) implements SerializableFunction<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object ignored) {
        if (task instanceof Callable<?> callable) {
            try {
                return callable.call();
            } catch (Exception e) {
                throw TaskFunction.<RuntimeException>sneaky(e);
            }
        }
        ((Runnable) task).run();
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
