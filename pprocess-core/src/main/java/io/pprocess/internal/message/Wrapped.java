package io.pprocess.internal.message;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelTask1;
import io.pprocess.ChannelTask2;
import io.pprocess.ChannelTask3;
import io.pprocess.CodecException;
import io.pprocess.SerializableBiFunction;
import io.pprocess.SerializableFunction;
import io.pprocess.SerializableTriFunction;

/**
 * An ordinary function made channel-aware: it sends its result back (pprocess's
 * {@code MakeParallel}), and, when reusable, then waits for the next job's arguments until told
 * to stop ({@code MakeReusable}).
 *
 * <p>A reusable child reports each job's failure as that job's result and carries on, so one
 * bad item does not cost a process.
 */
public final class Wrapped implements ChannelTask1<Object>, ChannelTask2<Object, Object>,
        ChannelTask3<Object, Object, Object> {
    private static final long serialVersionUID = 1L;

    private final Object function;
    private final int arity;
    private final boolean reusable;

    private Wrapped(Object function, int arity, boolean reusable) {
        if (function == null) {
            throw new NullPointerException("function == null");
        }
        this.function = function;
        this.arity = arity;
        this.reusable = reusable;
    }

    /**
     * Wraps a function of one argument.
     *
     * @param <A> the argument type
     * @param <R> the result type
     * @param fn the function
     * @param reusable whether the child serves many jobs
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, R> ChannelTask1<A> of(SerializableFunction<A, R> fn, boolean reusable) {
        return (ChannelTask1<A>) (ChannelTask1<?>) new Wrapped(fn, 1, reusable);
    }

    /**
     * Wraps a function of two arguments.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <R> the result type
     * @param fn the function
     * @param reusable whether the child serves many jobs
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> ChannelTask2<A, B> of(SerializableBiFunction<A, B, R> fn, boolean reusable) {
        return (ChannelTask2<A, B>) (ChannelTask2<?, ?>) new Wrapped(fn, 2, reusable);
    }

    /**
     * Wraps a function of three arguments.
     *
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param <R> the result type
     * @param fn the function
     * @param reusable whether the child serves many jobs
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, B, C, R> ChannelTask3<A, B, C> of(SerializableTriFunction<A, B, C, R> fn, boolean reusable) {
        return (ChannelTask3<A, B, C>) (ChannelTask3<?, ?, ?>) new Wrapped(fn, 3, reusable);
    }

    /**
     * Tells whether a task serves many jobs over one channel.
     *
     * @param task a task
     * @return whether it is a reusable wrapper
     */
    public static boolean isReusable(Object task) {
        return task instanceof Wrapped && ((Wrapped) task).reusable;
    }

    @Override
    public void run(Channel channel, Object a) throws Exception {
        serve(channel, new Object[] {a});
    }

    @Override
    public void run(Channel channel, Object a, Object b) throws Exception {
        serve(channel, new Object[] {a, b});
    }

    @Override
    public void run(Channel channel, Object a, Object b, Object c) throws Exception {
        serve(channel, new Object[] {a, b, c});
    }

    private void serve(Channel channel, Object[] args) {
        if (!reusable) {
            channel.send(apply(args));
            return;
        }
        while (true) {
            Object result;
            try {
                result = apply(args);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw e;
                }
                result = e;
            }
            try {
                channel.send(result);
            } catch (CodecException e) {
                channel.send(e);
            }
            Object next;
            try {
                next = channel.receive();
            } catch (ChannelException e) {
                return;
            }
            if (!(next instanceof NextJob)) {
                return;
            }
            args = ((NextJob) next).args();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object apply(Object[] args) {
        if (args.length != arity) {
            throw new IllegalArgumentException("function of " + arity + " argument(s) called with "
                    + args.length);
        }
        switch (arity) {
            case 1:
                return ((SerializableFunction) function).apply(args[0]);
            case 2:
                return ((SerializableBiFunction) function).apply(args[0], args[1]);
            default:
                return ((SerializableTriFunction) function).apply(args[0], args[1], args[2]);
        }
    }
}
