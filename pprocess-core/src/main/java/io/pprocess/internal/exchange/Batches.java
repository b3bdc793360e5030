package io.pprocess.internal.exchange;

import com.esotericsoftware.kryo.io.Output;
import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.CodecException;
import io.pprocess.SerializableFunction;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.codec.RemoteFailure;

/**
 * The batched protocol behind {@code pmap}: a worker child receives chunks of consecutive
 * items, applies the function to each, and answers with the chunk's results, until it
 * receives anything that is not a chunk. A failing item becomes an {@link ItemError} in its
 * place, so one bad item costs neither the chunk nor the process.
 */
public final class Batches {
    private Batches() {
    }

    /**
     * Consecutive items.
     *
     * @param base the index of the first item
     * @param items the items
     * @param isolated whether this chunk is a retry of one item whose process died
     */
    public record Chunk(int base, Object[] items, boolean isolated) {
    }

    /**
     * The results of a chunk, in order.
     *
     * @param base the index of the first item
     * @param values the results, with {@link ItemError} for failed items
     */
    public record Results(int base, Object[] values) {
    }

    /**
     * Gives a parked worker a new function and its first chunk.
     *
     * @param function the function, a {@code SerializableFunction}
     * @param chunk the first chunk
     */
    public record Rebind(Object function, Chunk chunk) {
    }

    /** Tells a worker to wait, warm, for a {@link Rebind} instead of ending. */
    public enum Park {
        /** The only value. */
        INSTANCE
    }

    /**
     * An item's failure in place of its result.
     *
     * @param failure the failure
     */
    public record ItemError(RemoteFailure failure) {
    }

    /**
     * Makes the worker task for a function.
     *
     * @param <T> the item type
     * @param <R> the result type
     * @param fn the function
     * @return the task; its argument is the first chunk
     */
    public static <T, R> ChannelTask1<Chunk> worker(SerializableFunction<T, R> fn) {
        return new Worker(fn);
    }

    /** The child's side of the protocol. */
    static final class Worker implements ChannelTask1<Chunk> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<Object, Object> fn;

        @SuppressWarnings("unchecked")
        Worker(SerializableFunction<?, ?> fn) {
            if (fn == null) {
                throw new NullPointerException("fn == null");
            }
            this.fn = (SerializableFunction<Object, Object>) fn;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Channel channel, Chunk first) {
            long pid = ProcessHandle.current().pid();
            SerializableFunction<Object, Object> function = fn;
            Chunk chunk = first;
            while (chunk != null) {
                Object[] values = new Object[chunk.items().length];
                for (int i = 0; i < values.length; i++) {
                    try {
                        values[i] = function.apply(chunk.items()[i]);
                    } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                        values[i] = new ItemError(RemoteFailure.of(e, pid));
                    }
                }
                Results results = new Results(chunk.base(), values);
                try {
                    channel.send(results);
                } catch (CodecException e) {
                    channel.send(new Results(chunk.base(), replaceUnserialisable(values, pid)));
                }
                Object next = channel.receive();
                while (next == Park.INSTANCE) {
                    next = channel.receive();
                    if (next instanceof Rebind) {
                        function = (SerializableFunction<Object, Object>) ((Rebind) next).function();
                        next = ((Rebind) next).chunk();
                    }
                }
                chunk = next instanceof Chunk ? (Chunk) next : null;
            }
        }

        private static Object[] replaceUnserialisable(Object[] values, long pid) {
            Object[] out = values.clone();
            Output scratch = new Output(1024, -1);
            for (int i = 0; i < out.length; i++) {
                try {
                    scratch.reset();
                    Codec.encode(scratch, out[i]);
                } catch (CodecException e) {
                    out[i] = new ItemError(RemoteFailure.of(e, pid));
                }
            }
            return out;
        }
    }
}
