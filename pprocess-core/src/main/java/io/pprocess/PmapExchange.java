package io.pprocess;

import io.pprocess.internal.exchange.Batches;
import io.pprocess.internal.exchange.Batches.Chunk;
import io.pprocess.internal.exchange.Batches.ItemError;
import io.pprocess.internal.exchange.Batches.Rebind;
import io.pprocess.internal.exchange.Batches.Results;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.exchange.WarmWorkers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The map behind {@link PProcess#pmap}: a few reused worker children, each given chunks of
 * consecutive items (guided scheduling: a share of what is left, so chunks shrink towards the
 * end and the workers finish together) and answering each chunk with its results.
 *
 * <p>Workers are kept warm for a while after the map is done ({@link WarmWorkers}) and the
 * next {@code pmap} takes them instead of starting JVMs.
 *
 * <p>A failing item fails alone (it is an {@link ItemError} in its chunk). When a worker dies,
 * the items of its chunk are retried one at a time in new workers, so that only the item that
 * kills its process fails, with that process's pid and status; the others complete.
 *
 * @param <R> the result type
 */
final class PmapExchange<R> extends MapExchange<R> {
    private static final int SHARE = 4;

    private final Object worker;
    private final Object function;
    private final List<Object> items;
    private final int workers;
    private final ArrayDeque<Chunk> retries = new ArrayDeque<>();
    private final Map<Channel, Chunk> inFlight = new IdentityHashMap<>();
    private final Map<Job, Chunk> starting = new IdentityHashMap<>();
    private int cursor;

    <T> PmapExchange(SerializableFunction<T, R> fn, Iterable<? extends T> items, int limit) {
        super(ExchangeOptions.defaults().limit(limit));
        this.worker = Batches.worker(fn);
        this.function = fn;
        this.items = new ArrayList<>();
        for (T item : items) {
            this.items.add(item);
        }
        reserveSlots(this.items.size());
        this.workers = Math.max(1, Math.min(limit, this.items.size()));
        for (int w = 0; w < workers; w++) {
            startWorker();
        }
    }

    private Chunk nextChunk() {
        Chunk retry = retries.poll();
        if (retry != null) {
            return retry;
        }
        int left = items.size() - cursor;
        if (left <= 0) {
            return null;
        }
        int size = Math.max(1, (left + SHARE * workers - 1) / (SHARE * workers));
        Chunk chunk = new Chunk(cursor, items.subList(cursor, cursor + size).toArray(), false);
        cursor += size;
        return chunk;
    }

    private void startWorker() {
        Chunk chunk = nextChunk();
        if (chunk == null) {
            return;
        }
        FrameChannel warm;
        while (!busy() && (warm = WarmWorkers.take()) != null) {
            try {
                warm.send(new Rebind(function, chunk));
            } catch (CodecException e) {
                WarmWorkers.park(warm);
                break;
            } catch (ChannelException e) {
                warm.terminate();
                continue;
            }
            adopt(warm, new Job(worker, new Object[] {chunk}, -1, null));
            return;
        }
        submit(worker, new Object[] {chunk});
    }

    @Override
    int reserveSlot() {
        return -1;
    }

    @Override
    void jobStarted(Job job, Channel channel) {
        if (job.args.length == 1 && job.args[0] instanceof Chunk) {
            inFlight.put(channel, (Chunk) job.args[0]);
        }
    }

    @Override
    boolean awaitsResult(Entry entry) {
        return inFlight.containsKey(entry.channel);
    }

    @Override
    void jobFailed(Job job, RuntimeException failure) {
        // The function cannot be sent, or no worker JVM can start: every item left fails.
        failChunk((Chunk) job.args[0], failure);
        Chunk rest;
        while ((rest = nextChunk()) != null) {
            failChunk(rest, failure);
        }
    }

    private void failChunk(Chunk chunk, RuntimeException failure) {
        for (int i = 0; i < chunk.items().length; i++) {
            fill(chunk.base() + i, ItemFailure.of(failure, chunk.base() + i));
        }
    }

    @Override
    protected void storeData(Channel channel) {
        Object message;
        try {
            message = channel.receive();
        } catch (PProcessException e) {
            workerDied(channel, e);
            return;
        }
        Chunk chunk = inFlight.remove(channel);
        if (!(message instanceof Results)) {
            if (chunk != null) {
                failChunk(chunk, new ChannelException("pmap worker sent " + describe(message)
                        + " instead of results"));
            }
            return;
        }
        Results results = (Results) message;
        Object[] values = results.values();
        for (int i = 0; i < values.length; i++) {
            int slot = results.base() + i;
            Object v = values[i];
            fill(slot, v instanceof ItemError
                    ? ItemFailure.of(((ItemError) v).failure().toException(), slot) : v);
        }
    }

    private void workerDied(Channel channel, PProcessException failure) {
        Chunk chunk = inFlight.remove(channel);
        if (chunk == null) {
            return;
        }
        if (chunk.isolated()) {
            failChunk(chunk, failure);
        } else {
            for (int i = chunk.items().length - 1; i >= 0; i--) {
                retries.addFirst(new Chunk(chunk.base() + i, new Object[] {chunk.items()[i]}, true));
            }
        }
        startWorker();
    }

    @Override
    void delivered(Entry entry) {
        Chunk next = nextChunk();
        if (next == null) {
            detach(entry);
            WarmWorkers.park(entry.channel);
            return;
        }
        try {
            entry.channel.send(next);
            inFlight.put(entry.channel, next);
        } catch (CodecException e) {
            failChunk(next, e);
            delivered(entry);
        } catch (ChannelException e) {
            retries.addFirst(next);
        }
    }

    private static String describe(Object message) {
        return message == null ? "null" : message.getClass().getName();
    }
}
