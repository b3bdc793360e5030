package io.pprocess.internal.exchange;

import io.pprocess.internal.channel.FrameChannel;

/** A channel an exchange watches and the job it runs. */
public final class WatchedChannel extends Supervisor.Watched {
    /** The job it runs now, or {@code null} (an added channel, or a reused child told to stop). */
    public Job job;
    /** Whether its end was reported as ready once, so the next round drops it. */
    public boolean reportedEnd;
    /** Messages received before the current job began (reuse). */
    public long mark;
    /** The last job counted as delivered (pool options). */
    public Job counted;

    /**
     * Creates the entry.
     *
     * @param channel the parent's end
     * @param job the job it runs, or {@code null}
     */
    public WatchedChannel(FrameChannel channel, Job job) {
        super(channel);
        this.job = job;
    }

    /** Whether it runs a job this exchange started and supervises, whose result has not come. */
    @Override
    public boolean busy() {
        return job != null && job.address == null && job.task != null && !jobDelivered();
    }

    /** @return whether the current job's result has come (or there is no job) */
    public boolean jobDelivered() {
        return job == null || channel.messagesReceived() > mark;
    }
}
