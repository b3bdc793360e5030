package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import io.pprocess.PProcessException;
import io.pprocess.PoolOptions;
import io.pprocess.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * An exchange's jobs under {@code PoolOptions}: the {@link Supervisor}'s policy applied to the
 * channels it watches and the jobs it queues — time and memory limits, the deadline, retries of
 * a job whose child died, recycling, a failed worker initialiser that fails every queued and
 * later job, progress. The exchange keeps what a job's failure means for its results: it is
 * given to {@link JobFailer}.
 */
final class SupervisedJobs {

    /** Fails a job that will not run, as the exchange reports it (a plain exchange throws). */
    @FunctionalInterface
    interface JobFailer {
        /**
         * @param job the job
         * @param failure why it will not run
         */
        void fail(Job job, RuntimeException failure);
    }

    private final Supervisor supervisor;
    private final ChannelWatch watch;
    private final JobQueue waiting;
    private final JobFailer failer;
    /** Whether the exchange counts its jobs' results itself ({@link #jobDone}, {@link #jobFailure}). */
    private final BooleanSupplier reportsResolutions;
    /** Set when a child's worker initialiser failed: queued jobs and later ones fail with it. */
    private PProcessException initializerFailure;
    /** Jobs submitted, for progress. */
    private int submitted;

    /**
     * Applies {@code pool} to an exchange's jobs.
     *
     * @param pool the options
     * @param watch the exchange's channels
     * @param waiting its queue
     * @param failer how it fails a job
     * @param reportsResolutions whether it counts its jobs' results itself
     */
    SupervisedJobs(PoolOptions pool, ChannelWatch watch, JobQueue waiting, JobFailer failer,
                          BooleanSupplier reportsResolutions) {
        this.supervisor = new Supervisor(pool, "exchange");
        this.watch = watch;
        this.waiting = waiting;
        this.failer = failer;
        this.reportsResolutions = reportsResolutions;
    }

    /** @return the policy */
    Supervisor supervisor() {
        return supervisor;
    }

    /** @return the task a new child runs for {@code job}: its own, or wrapped with the worker initialiser */
    Object taskOf(Job job) {
        return supervisor.options().initializer() == null ? job.task
                : Batches.initialising(job.task, supervisor.options().initializer());
    }

    /**
     * Counts a new ordinary job, and refuses it (failing it at once) after a failed worker
     * initialiser or past the deadline.
     *
     * @param job the job
     * @return whether it was refused
     */
    boolean refused(Job job) {
        submitted++;
        PProcessException refused = initializerFailure != null ? initializerFailed(initializerFailure)
                : supervisor.deadlinePassed() ? supervisor.deadlineFailure(0) : null;
        if (refused != null) {
            failJobs(List.of(job), j -> refused);
            return true;
        }
        return false;
    }

    /** Counts a job resolved: its result came, or it failed. */
    void resolved(boolean failed) {
        supervisor.resolved(failed);
    }

    /**
     * Counts a delivered result (once per job) when the exchange does not count them itself.
     *
     * @param entry a channel whose data was just stored
     */
    void delivered(WatchedChannel entry) {
        if (entry.job != null && entry.job.ordinary() && entry.job != entry.counted && entry.jobDelivered()) {
            entry.counted = entry.job;
            entry.itemsDone++;
            if (!reportsResolutions.getAsBoolean()) {
                supervisor.resolved(false);
            }
        }
    }

    /** @return whether a reused child that delivered must stop rather than take a next job */
    boolean shouldStop(WatchedChannel entry) {
        return supervisor.shouldRecycle(entry) || initializerFailure != null || entry.killedFor != null;
    }

    /**
     * Waits as {@code ready} does, but only until the next check of the pool options is due,
     * checking them (time limits, memory, deadline) between waits.
     *
     * @param timeout as {@code ready}'s
     * @param ready the exchange's {@code ready}
     * @return the ready channels
     */
    List<Channel> superviseAndWait(Duration timeout, Function<Duration, List<Channel>> ready) {
        long end = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            long now = System.nanoTime();
            supervise(now);
            long until = supervisor.untilNextCheck(watch.entries(), now);
            Duration wait;
            if (timeout != null && end - now <= 0) {
                wait = Duration.ZERO;
            } else if (until == Long.MAX_VALUE && timeout == null) {
                wait = null;
            } else {
                wait = Duration.ofNanos(Math.max(1_000_000L, Math.min(until, end - now)));
            }
            List<Channel> result = ready.apply(wait);
            if (!result.isEmpty() || watch.isEmpty() || (timeout != null && System.nanoTime() - end >= 0)) {
                supervise(System.nanoTime());
                return result;
            }
        }
    }

    /** Kills the children over a limit, each for its reason; fails everything at the deadline. */
    private void supervise(long now) {
        if (supervisor.deadlineDue(now)) {
            for (WatchedChannel entry : watch.entries()) {
                if (entry.busy() && entry.killedFor == null) {
                    entry.killedFor = supervisor.deadlineFailure(entry.pid());
                    entry.channel.killFor(entry.killedFor);
                }
            }
            failJobs(waiting.takeOrdinary(), job -> supervisor.deadlineFailure(0));
            return;
        }
        supervisor.checkWorkers(watch.entries(), now, (entry, why) -> entry.channel.killFor(why));
    }

    /**
     * Decides what the death of a supervised child that owed its job's result means: the job
     * is queued again (at the front) while it has retries left, or its channel's
     * {@code receive} will throw the final failure, every earlier attempt's cause attached.
     *
     * @param entry the channel that ended
     * @param cancelled whether the exchange was cancelled
     * @return whether the job was queued again (the channel is then dropped quietly)
     */
    boolean retried(WatchedChannel entry, boolean cancelled) {
        if (!entry.busy()) {
            return false;
        }
        // A task that returned without a result would do the same again: only deaths are retried.
        if (!entry.channel.peerFinished()) {
            Job job = entry.job;
            PProcessException end = entry.channel.endCause();
            PProcessException cause = supervisor.describeDeath(end);
            if (initializerFailure == null && !cancelled && !supervisor.deadlinePassed()
                    && supervisor.retry(job, cause)) {
                entry.job = null;
                watch.remove(entry.channel);
                entry.channel.close();
                waiting.addFirst(job);
                return true;
            }
            PProcessException last = supervisor.finalFailure(job, cause);
            if (last != end || last.getSuppressed().length > 0) {
                entry.channel.failWith(last);
            }
        }
        if (!reportsResolutions.getAsBoolean()) {
            supervisor.resolved(true);
        }
        return false;
    }

    /**
     * Fails jobs that will not run, through the {@link JobFailer}; what it throws (a plain
     * exchange's does) is thrown after all are failed, the others suppressed.
     */
    private void failJobs(List<Job> jobs, Function<Job, PProcessException> failure) {
        RuntimeException first = null;
        for (Job job : jobs) {
            supervisor.resolved(true);
            try {
                failer.fail(job, failure.apply(job));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Hears of a job's failure as the exchange's {@code storeData} receives it: counts it, and
     * when it says that the child's worker initialiser failed, fails every queued job (and every
     * later one) with it instead of starting more children.
     *
     * @param failure what {@code receive} threw
     * @return the failure to keep for the job
     */
    PProcessException jobFailure(PProcessException failure) {
        supervisor.resolved(true);
        if (!Batches.isInitializerFailure(failure)) {
            return failure;
        }
        PProcessException converted = initializerFailed(failure);
        if (initializerFailure == null) {
            initializerFailure = failure;
            failJobs(waiting.takeOrdinary(), job -> initializerFailed(failure));
        }
        return converted;
    }

    private static PProcessException initializerFailed(PProcessException remote) {
        String message = remote instanceof RemoteException ? ((RemoteException) remote).remoteMessage()
                : remote.getMessage();
        return new PProcessException(message, remote);
    }

    /**
     * Tells the progress listener, if any, how many jobs are in flight and done.
     *
     * @param closed whether the exchange is closed (the last report)
     */
    void reportProgress(boolean closed) {
        if (supervisor.options().progress() == null) {
            return;
        }
        long inFlight = 0;
        for (WatchedChannel entry : watch.entries()) {
            if (entry.busy()) {
                inFlight++;
            }
        }
        supervisor.progress(inFlight, submitted, closed);
    }
}
