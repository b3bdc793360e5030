package io.pprocess;

import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.exchange.WarmWorkers;
import io.pprocess.internal.spawn.KeptWorkers;
import io.pprocess.internal.spawn.Spares;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The start of every {@code pmap}: the claims of the kept workers it will take, begun before
 * anything else. A class of its own, apart from {@link PmapExchange}, so that a program's first
 * {@code pmap} begins the claims before the JVM has loaded and verified the map's classes (some
 * 30 ms of a new JVM's time on a 2-core machine), and checks meanwhile that the function can be
 * sent.
 */
final class PmapClaims {
    /** Runs each start or claim of a worker on a daemon thread of its own. */
    static final Executor STARTER = new Starter();

    /**
     * {@link #STARTER}, and {@link #CLAIM} below, are classes rather than lambdas: a new JVM's
     * first lambdas cost milliseconds each to spin, before the first claim could begin.
     */
    private static final class Starter implements Executor {
        @Override
        public void execute(Runnable run) {
            Thread t = new Thread(run, "pprocess-pmap-start");
            t.setDaemon(true);
            t.start();
        }
    }

    /** One claim of an idle kept worker: {@link KeptWorkers#claimIdle}. */
    private static final Supplier<FrameChannel> CLAIM = new Supplier<>() {
        @Override
        public FrameChannel get() {
            return KeptWorkers.claimIdle();
        }
    };

    private PmapClaims() {
    }

    /**
     * Makes the map behind every {@code pmap}: checks the arguments (the function first, then
     * the options, then that it can be sent), claiming meanwhile, on threads of their own, the
     * kept workers the map will need when workers are kept and none are warm in this JVM.
     *
     * @throws NullPointerException if {@code fn}, {@code items} or {@code pool} is null
     * @throws CodecException if the function cannot be sent (the claimed workers are let go)
     */
    static <T, R> PmapExchange<R> create(SerializableFunction<T, R> fn, Object items, PoolOptions pool) {
        if (fn == null) {
            throw new NullPointerException("fn == null");
        }
        if (pool == null) {
            throw new NullPointerException("options == null");
        }
        ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claims = claimAhead(items, pool);
        try {
            Codec.requireSerialisable(fn, "the function of pmap");
            return new PmapExchange<>(fn, items, pool, claims);
        } catch (RuntimeException | Error e) {
            release(claims);
            throw e;
        }
    }

    /**
     * Starts the claims of the kept workers a map of {@code items} will take: one per worker it
     * will run, less the workers warm in this JVM; none when workers are not kept, when spares
     * are ready, or when the map's workers need JVM options of their own.
     */
    private static ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claimAhead(Object items, PoolOptions pool) {
        ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claims = new ConcurrentLinkedQueue<>();
        if (items == null || pool.heapLimit() != null || KeptWorkers.idleLimit().isZero() || Spares.ready() > 0) {
            return claims;
        }
        int workers = pool.workers() == 0 ? PProcess.numberOfCores() : pool.workers();
        if (items instanceof Collection) {
            workers = Math.min(workers, ((Collection<?>) items).size());
        }
        for (int i = WarmWorkers.parked(); i < workers; i++) {
            claims.add(CompletableFuture.supplyAsync(CLAIM, STARTER));
        }
        return claims;
    }

    /** Lets go of the kept workers claimed and not used: each waits for another program again. */
    static void release(ConcurrentLinkedQueue<CompletableFuture<FrameChannel>> claims) {
        CompletableFuture<FrameChannel> claim;
        while ((claim = claims.poll()) != null) {
            claim.thenAccept(channel -> {
                if (channel != null) {
                    channel.close();
                }
            });
        }
    }
}
