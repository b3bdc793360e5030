package io.pprocess.internal.exchange;

import io.pprocess.internal.wire.ExitStatus;
import io.pprocess.ChildProcessException;
import io.pprocess.MemoryLimitException;
import io.pprocess.PProcessException;
import io.pprocess.PoolOptions;
import io.pprocess.Progress;
import io.pprocess.TimeLimitException;
import io.pprocess.internal.channel.FrameChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The policy of {@link PoolOptions} over worker children, shared by {@code pmap} and by the
 * exchanges that run jobs under pool options: which worker is over its item time limit or its
 * memory limit, when the deadline passes, whether a worker has served its time, what a death
 * means (an exit status of 3 is the heap), whether an item whose worker died is run again and
 * with which causes it finally fails, and the progress reports. The owner keeps its workers
 * and its queue; this class holds no channel, starts nothing and kills only through the
 * callback it is given. Used from the owner's thread only, or under the owner's lock.
 */
public final class Supervisor {
    /** How often the resident-set watchdog reads {@code /proc}. */
    static final long WATCH_NANOS = 100_000_000L;
    /** The least time between two progress reports. */
    static final long PROGRESS_NANOS = 100_000_000L;

    /** What the supervisor is told of one worker child. */
    public abstract static class Watched {
        /** The parent's end of the child's channel. */
        public final FrameChannel channel;
        /** When it was started. */
        public final long born = System.nanoTime();
        /** Items (jobs) it has finished. */
        public int itemsDone;
        /** When the parent learnt that its current item had started. */
        public long itemStart;
        /** Its heap in use after GC as it last reported it, or -1. */
        public long heapAfterGc = -1;
        /** Why the parent killed it, or {@code null}. */
        public PProcessException killedFor;

        /**
         * Starts watching a child.
         *
         * @param channel the parent's end of its channel
         */
        protected Watched(FrameChannel channel) {
            this.channel = channel;
        }

        /** @return the child's pid */
        public final long pid() {
            return channel.pid();
        }

        /** @return whether it is running an item now */
        public abstract boolean busy();
    }

    private final PoolOptions pool;
    private final String scope;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final List<String> jvmOptions;
    private final Map<Object, List<PProcessException>> attempts = new HashMap<>();
    private boolean deadlinePassed;
    private long nextWatch;
    private long lastProgress;
    private boolean progressFinished;
    private long done;
    private long failed;

    /**
     * @param pool the options
     * @param scope what the deadline covers, for messages: {@code "pmap"} or {@code "exchange"}
     */
    public Supervisor(PoolOptions pool, String scope) {
        this.pool = pool;
        this.scope = scope;
        this.deadlineNanos = pool.deadline() == null ? 0 : startNanos + pool.deadline().toNanos();
        this.jvmOptions = pool.heapLimit() == null ? List.of() : List.of("-Xmx" + pool.heapLimit());
    }

    /** @return the options */
    public PoolOptions options() {
        return pool;
    }

    /** @return the JVM options of the workers (a heap limit), empty when they are ordinary children */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** @return when the supervision began, {@link System#nanoTime()} */
    public long startNanos() {
        return startNanos;
    }

    // ---- time and memory ----

    /**
     * @param workers the workers
     * @param now {@link System#nanoTime()}
     * @return the nanoseconds until the next check is due (a time limit, the deadline, the
     *     watchdog or a progress report), or {@link Long#MAX_VALUE} for none
     */
    public long untilNextCheck(Iterable<? extends Watched> workers, long now) {
        long until = Long.MAX_VALUE;
        if (deadlineNanos != 0 && !deadlinePassed) {
            until = Math.min(until, deadlineNanos - now);
        }
        if (pool.itemTimeout() != null) {
            long limit = pool.itemTimeout().toNanos();
            for (Watched w : workers) {
                if (w.busy() && w.killedFor == null) {
                    until = Math.min(until, w.itemStart + limit - now);
                }
            }
        }
        if (pool.memoryLimit() > 0) {
            until = Math.min(until, WATCH_NANOS);
        }
        if (pool.progress() != null && !progressFinished) {
            until = Math.min(until, PROGRESS_NANOS);
        }
        return until;
    }

    /**
     * Tells, once, that the deadline has passed.
     *
     * @param now {@link System#nanoTime()}
     * @return whether it passed just now
     */
    public boolean deadlineDue(long now) {
        if (deadlineNanos != 0 && !deadlinePassed && now - deadlineNanos >= 0) {
            deadlinePassed = true;
            return true;
        }
        return false;
    }

    /** @return whether the deadline has passed */
    public boolean deadlinePassed() {
        return deadlinePassed;
    }

    /**
     * @param pid the child that was running the item and was killed, or 0 if it never started
     * @return the failure of an item without a result at the deadline
     */
    public TimeLimitException deadlineFailure(long pid) {
        Duration limit = pool.deadline();
        String who = pid == 0 ? " (never started)" : " (child process " + pid + " was running it and was killed)";
        return new TimeLimitException(pid, limit, "not done by the deadline of " + limit.toMillis()
                + " ms for the whole " + scope + who);
    }

    /**
     * Kills, through {@code kill}, every busy worker over its item time limit or (when the
     * watchdog is due) over the memory limit, after setting its {@code killedFor}.
     *
     * @param workers the workers
     * @param now {@link System#nanoTime()}
     * @param kill kills a worker's child; given the worker and the reason
     */
    public <W extends Watched> void checkWorkers(Iterable<W> workers, long now, BiConsumer<W, PProcessException> kill) {
        if (pool.itemTimeout() == null && pool.memoryLimit() <= 0) {
            return;
        }
        List<W> over = new ArrayList<>();
        List<PProcessException> why = new ArrayList<>();
        if (pool.itemTimeout() != null) {
            long limit = pool.itemTimeout().toNanos();
            for (W w : workers) {
                if (w.busy() && w.killedFor == null && now - w.itemStart >= limit) {
                    over.add(w);
                    why.add(new TimeLimitException(w.pid(), pool.itemTimeout(), "child process " + w.pid()
                            + " ran past the item time limit of " + pool.itemTimeout().toMillis()
                            + " ms (itemTimeout) and was killed"));
                }
            }
        }
        if (pool.memoryLimit() > 0 && now - nextWatch >= 0) {
            nextWatch = now + WATCH_NANOS;
            for (W w : workers) {
                if (!w.busy() || w.killedFor != null || over.contains(w)) {
                    continue;
                }
                long rss = residentBytes(w.pid());
                if (rss > pool.memoryLimit()) {
                    over.add(w);
                    why.add(new MemoryLimitException(w.pid(), 128 + 9, "after its resident set of " + (rss >> 20)
                            + " MiB passed the memory limit of " + (pool.memoryLimit() >> 20) + " MiB (memoryLimit)",
                            pool.memoryLimit()));
                }
            }
        }
        for (int i = 0; i < over.size(); i++) {
            over.get(i).killedFor = why.get(i);
            kill.accept(over.get(i), why.get(i));
        }
    }

    /** @return the resident set of a process in bytes, from {@code /proc/<pid>/status}, or 0 */
    public static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not Linux: nothing to measure.
        }
        return 0;
    }

    // ---- recycling ----

    /**
     * @param w a worker between items
     * @return whether it has served its time (items, age, heap); one that has run no item yet
     *     never has
     */
    public boolean shouldRecycle(Watched w) {
        if (w.itemsDone == 0) {
            return false;
        }
        if (pool.recycleAfterItems() > 0 && w.itemsDone >= pool.recycleAfterItems()) {
            return true;
        }
        if (pool.recycleAfterAge() != null && System.nanoTime() - w.born >= pool.recycleAfterAge().toNanos()) {
            return true;
        }
        return pool.recycleAboveHeap() > 0 && w.heapAfterGc > pool.recycleAboveHeap();
    }

    // ---- deaths and retries ----

    /**
     * @param e how a worker's channel ended
     * @return the same, or a {@link MemoryLimitException} saying so for a JVM that ran out of heap
     */
    public PProcessException describeDeath(PProcessException e) {
        if (e instanceof ChildProcessException && !(e instanceof MemoryLimitException)) {
            ChildProcessException c = (ChildProcessException) e;
            if (c.exitStatus() == ExitStatus.OUT_OF_MEMORY) {
                String limit = pool.heapLimit() != null ? "the heap limit of " + pool.heapLimit() + " (heapLimit)"
                        : "its maximum heap";
                MemoryLimitException m = new MemoryLimitException(c.pid(), c.exitStatus(),
                        "(out of memory: its heap passed " + limit + ")", heapBytes(pool.heapLimit()));
                m.initCause(c);
                return m;
            }
        }
        return e;
    }

    /**
     * Records a worker's death while it ran an item and says whether to run the item again:
     * when the worker died (not for a time limit) and the item has attempts left.
     *
     * @param item the item (an index, or the job itself)
     * @param cause how it failed this time
     * @return whether to run it again
     */
    public boolean retry(Object item, PProcessException cause) {
        if (cause instanceof TimeLimitException) {
            return false;
        }
        List<PProcessException> earlier = attempts.get(item);
        int tried = earlier == null ? 0 : earlier.size();
        if (tried < pool.retries()) {
            attempts.computeIfAbsent(item, k -> new ArrayList<>()).add(cause);
            return true;
        }
        return false;
    }

    /**
     * @param item the item
     * @param cause its last failure
     * @return the failure, every earlier attempt's cause attached as suppressed
     */
    public PProcessException finalFailure(Object item, PProcessException cause) {
        List<PProcessException> earlier = attempts.remove(item);
        if (earlier != null) {
            for (PProcessException before : earlier) {
                cause.addSuppressed(before);
            }
        }
        return cause;
    }

    private static long heapBytes(String size) {
        if (size == null) {
            return -1;
        }
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long n = Character.isDigit(unit) ? Long.parseLong(size) : Long.parseLong(size.substring(0, size.length() - 1));
        switch (unit) {
            case 'k': return n << 10;
            case 'm': return n << 20;
            case 'g': return n << 30;
            default: return n;
        }
    }

    // ---- progress ----

    /**
     * Counts an item that got its result or its failure.
     *
     * @param failure whether it failed
     */
    public void resolved(boolean failure) {
        if (failure) {
            failed++;
        } else {
            done++;
        }
    }

    /** @return items resolved (done or failed) */
    public long resolvedCount() {
        return done + failed;
    }

    /**
     * Reports progress to the listener, if any: at most every {@link #PROGRESS_NANOS}, and
     * once when finished.
     *
     * @param inFlight items handed to workers and not resolved
     * @param total all the items, or -1 if not known yet
     * @param finished whether nothing more will come
     */
    public void progress(long inFlight, long total, boolean finished) {
        Progress due = progressDue(inFlight, total, finished);
        if (due != null) {
            pool.progress().onProgress(due);
        }
    }

    /**
     * The progress report that is due, for an owner that calls the listener itself (outside
     * its locks).
     *
     * @param inFlight items handed to workers and not resolved
     * @param total all the items, or -1 if not known yet
     * @param finished whether nothing more will come
     * @return the report to give the listener, or {@code null} if none is due (or there is no
     *     listener)
     */
    public Progress progressDue(long inFlight, long total, boolean finished) {
        if (pool.progress() == null || progressFinished) {
            return null;
        }
        long now = System.nanoTime();
        if (!finished && now - lastProgress < PROGRESS_NANOS) {
            return null;
        }
        lastProgress = now;
        progressFinished = finished;
        return new Progress(done, failed, inFlight, total, Duration.ofNanos(now - startNanos), finished);
    }
}
