package io.pprocess.internal.executor;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelTask;
import io.pprocess.CodecException;
import io.pprocess.internal.child.ChildMain;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.message.RemoteFailure;
import io.pprocess.internal.message.SkipTask;
import io.pprocess.internal.message.TaskBatch;
import io.pprocess.internal.message.TaskOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The child's side of a {@code ProcessExecutor}: runs the tasks of each {@link TaskBatch}
 * in order and answers each with an {@link TaskOutcome}, until the parent closes the
 * channel. Between two tasks it reads what has arrived, so that a {@link SkipTask} stops a
 * cancelled task from running and a batch sent ahead waits its turn.
 */
public final class ExecutorWorker implements ChannelTask {
    private static final long serialVersionUID = 1L;

    @Override
    public void run(Channel channel) {
        long pid = ProcessHandle.current().pid();
        ArrayDeque<TaskBatch> batches = new ArrayDeque<>();
        Set<Long> skipped = new HashSet<>();
        while (true) {
            if (batches.isEmpty()) {
                Object message;
                try {
                    message = channel.receive();
                } catch (ChannelException e) {
                    return;
                }
                if (!take(message, batches, skipped)) {
                    return;
                }
                continue;
            }
            TaskBatch batch = batches.poll();
            for (int i = 0; i < batch.ids().length; i++) {
                if (i > 0) {
                    while (channel.ready(Duration.ZERO)) {
                        if (!take(channel.receive(), batches, skipped)) {
                            return;
                        }
                    }
                }
                long id = batch.ids()[i];
                if (skipped.remove(id)) {
                    channel.sendUnacknowledged(new TaskOutcome(id, null, null, true));
                    continue;
                }
                answer(channel, id, batch.tasks()[i], pid);
            }
        }
    }

    /** Files a message; false for anything that is not a batch or a skip (the parent is done). */
    private static boolean take(Object message, ArrayDeque<TaskBatch> batches, Set<Long> skipped) {
        if (message instanceof TaskBatch) {
            batches.add((TaskBatch) message);
            return true;
        }
        if (message instanceof SkipTask) {
            skipped.add(((SkipTask) message).id());
            return true;
        }
        return false;
    }

    private static void answer(Channel channel, long id, byte[] encoded, long pid) {
        TaskOutcome outcome;
        try {
            Object task;
            try {
                task = Codec.decode(encoded, 0, encoded.length);
            } catch (CodecException e) {
                throw new CodecException(ChildMain.cannotDecodeTask(e), e);
            }
            Object value;
            if (task instanceof Callable) {
                value = ((Callable<?>) task).call();
            } else {
                ((Runnable) task).run();
                value = null;
            }
            outcome = new TaskOutcome(id, value, null, false);
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            outcome = new TaskOutcome(id, null, RemoteFailure.of(e, pid), false);
        }
        try {
            channel.sendUnacknowledged(outcome);
        } catch (CodecException e) {
            channel.sendUnacknowledged(new TaskOutcome(id, null, RemoteFailure.of(
                    new CodecException("the task's result cannot be sent back: " + e.getMessage(), e), pid), false));
        }
    }
}
