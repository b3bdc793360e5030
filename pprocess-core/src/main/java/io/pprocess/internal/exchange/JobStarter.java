package io.pprocess.internal.exchange;

import io.pprocess.ChildProcessException;
import io.pprocess.CodecException;
import io.pprocess.PProcessException;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.persist.PersistentClient;
import io.pprocess.internal.spawn.Launcher;

/**
 * Starts an exchange's jobs: at once while it is under its limit, else queued and started as
 * capacity frees. A job runs in a new child ({@link Launcher}; under pool options with the
 * worker initialiser and the pool's JVM options), or in a persistent process started at its
 * address and connected to ({@link PersistentClient}). A job that cannot start (its task cannot
 * be serialised, its child died before connecting, its address is taken) is failed through the
 * exchange's {@code jobFailed}.
 */
final class JobStarter {
    private final ExchangeCore core;

    JobStarter(ExchangeCore core) {
        this.core = core;
    }

    /**
     * Starts a job, or queues it when the exchange is busy or jobs are already queued.
     *
     * @param job the job
     */
    void submit(Job job) {
        SupervisedJobs supervised = core.supervised;
        if (supervised != null && job.ordinary() && supervised.refused(job)) {
            return;
        }
        if (core.busy() || !core.waiting.isEmpty()) {
            core.waiting.add(job);
            if (!core.busy()) {
                startWaiting();
            }
        } else {
            launch(job);
        }
    }

    /** Starts queued jobs while there is capacity and the exchange is open and not cancelled. */
    void startWaiting() {
        while (!core.busy() && !core.waiting.isEmpty() && !core.isClosed() && !core.isCancelled()) {
            launch(core.waiting.poll());
        }
    }

    private void launch(Job job) {
        SupervisedJobs supervised = core.supervised;
        FrameChannel channel;
        try {
            if (job.ordinary() && supervised != null) {
                channel = Launcher.start(new Invocation(supervised.taskOf(job), job.args, null),
                        supervised.supervisor().jvmOptions());
            } else if (job.ordinary()) {
                channel = Launcher.start(new Invocation(job.task, job.args, null));
            } else {
                PersistentClient.start(job.address, core.options.persistent(), job.task, job.args);
                channel = PersistentClient.connect(job.address);
            }
        } catch (CodecException | ChildProcessException e) {
            if (supervised != null) {
                supervised.resolved(true);
            }
            core.hooks.jobFailed(job, e);
            return;
        } catch (PProcessException e) {
            if (job.ordinary()) {
                throw e;
            }
            core.hooks.jobFailed(job, e);
            return;
        }
        WatchedChannel entry = new WatchedChannel(channel, job);
        entry.itemStart = System.nanoTime();
        try {
            core.add(entry);
        } catch (RuntimeException e) {
            channel.terminate();
            throw e;
        }
        core.hooks.jobStarted(job, channel);
    }
}
