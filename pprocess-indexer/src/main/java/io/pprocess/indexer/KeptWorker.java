package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.ChannelTask;
import io.pprocess.indexer.Messages.JobDone;
import io.pprocess.indexer.Messages.JobStarted;
import io.pprocess.indexer.Messages.StopWorker;
import io.pprocess.indexer.Messages.WorkerJob;

/**
 * The task of a kept indexing worker: a persistent process that indexes one slice after
 * another, for one run of the command after another, so that later runs find its code already
 * compiled. It serves whichever peer is connected (see {@link KeptWorkers}); it ends when told
 * to ({@link StopWorker}) or when no peer has come for its idle limit.
 */
final class KeptWorker {
    /** The task as the parent starts it. */
    static final ChannelTask TASK = KeptWorker::serve;

    private KeptWorker() {
    }

    /**
     * Answers jobs until told to stop. For each {@link WorkerJob}: {@link JobStarted}, then the
     * slice's messages as {@link SliceTask} sends them, then {@link JobDone}; all unacknowledged,
     * so that the worker never waits on a peer that has gone (its messages then go to the next
     * peer, which ignores them by their token).
     *
     * @param channel the persistent channel
     * @throws InterruptedException if interrupted during a slice's delay
     */
    static void serve(Channel channel) throws InterruptedException {
        while (true) {
            Object message = channel.receive();
            if (message instanceof WorkerJob job) {
                channel.sendUnacknowledged(new JobStarted(job.token()));
                try (Sender sender = new Sender(channel)) {
                    SliceTask.index(sender, job.slice()).finish(sender::send);
                }
                channel.sendUnacknowledged(new JobDone(job.token()));
            } else if (message instanceof StopWorker) {
                return;
            } else {
                System.err.println("pprocess-indexer worker: ignored an unexpected message: "
                        + (message == null ? "null" : message.getClass().getName()));
            }
        }
    }
}
