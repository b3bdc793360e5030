package io.pprocess.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import io.pprocess.PProcessException;
import io.pprocess.RemoteException;
import io.pprocess.cluster.internal.Auth;
import io.pprocess.cluster.internal.ChunkTask;
import io.pprocess.cluster.internal.Wire;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One job's items on their way through the cluster: cut into chunks, each chunk sent to a node
 * with room (at most {@value #WINDOW} chunks in flight per node), sent again elsewhere when its
 * node is lost, and each item's outcome handed once to the sink.
 *
 * <p>All state is guarded by this object's monitor; Hazelcast's threads deliver the answers.
 */
final class Job {
    /** Chunks in flight per node: one running, one waiting there. */
    static final int WINDOW = 2;
    /** Attempts of a chunk whose node answered that it could not run it. */
    static final int MAX_FAILED_ATTEMPTS = 4;

    /** Receives each item's outcome, exactly once. */
    interface Sink {
        void deliver(int index, Object value);

        void fail(int index, PProcessException failure);
    }

    private static final class Chunk {
        final int[] indexes;
        int failedAttempts;
        int attempt;
        Member member;
        String lastFailure;

        Chunk(int[] indexes) {
            this.indexes = indexes;
        }
    }

    private final Cluster cluster;
    private final String jobId;
    private final int retries;
    private final Duration itemTimeout;
    private final List<byte[]> items;
    private final ClassLoader loader;
    private final Sink sink;
    private final int[] childRetries;
    private final boolean[] done;
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private final Map<Chunk, Chunk> inFlight = new IdentityHashMap<>();
    private final Map<UUID, Integer> perMember = new HashMap<>();
    private final Map<UUID, long[]> suspect = new HashMap<>();
    private int remaining;
    private long seq;
    private long stuckSince = -1;
    private boolean finished;
    private int republished;

    Job(Cluster cluster, String jobId, List<byte[]> items, ClassLoader loader, Sink sink, int retries,
        Duration itemTimeout) {
        this.cluster = cluster;
        this.jobId = jobId;
        this.retries = retries;
        this.itemTimeout = itemTimeout;
        this.items = items;
        this.loader = loader;
        this.sink = sink;
        this.childRetries = new int[items.size()];
        this.done = new boolean[items.size()];
        this.remaining = items.size();
    }

    /** Cuts the items into chunks (those that could not be serialised are already failed) and sends the first. */
    synchronized void start(List<Integer> sendable, int nodes, int workers, int chunkSize) {
        int n = sendable.size();
        int at = 0;
        while (at < n) {
            int size = chunkSize > 0 ? chunkSize
                    : Math.max(Math.min(workers, 16), Math.min(1000, (n - at + 3 * Math.max(1, nodes) - 1) / (3 * Math.max(1, nodes))));
            size = Math.max(1, Math.min(size, n - at));
            int[] indexes = new int[size];
            for (int i = 0; i < size; i++) {
                indexes[i] = sendable.get(at + i);
            }
            pending.add(new Chunk(indexes));
            at += size;
        }
        pump();
    }

    synchronized void failed(int index, PProcessException failure) {
        finish(index, null, failure);
    }

    /** @return whether a chunk of the job was ever sent to a node */
    synchronized boolean sentAny() {
        return seq > 0;
    }

    synchronized boolean finished() {
        return finished;
    }

    /**
     * Ends the job: the items not yet delivered fail with the given exceptions, nothing more
     * is sent, and the nodes running or holding its chunks are told to stop them (their
     * children end); answers still coming are ignored.
     *
     * @param failure the failure of each item not yet delivered, by index
     * @param stopNodes whether to stop the chunks on the nodes, or let them finish there
     */
    void stop(IntFunction<PProcessException> failure, boolean stopNodes) {
        Set<Member> holding = new HashSet<>();
        synchronized (this) {
            if (finished) {
                return;
            }
            for (Chunk c : inFlight.keySet()) {
                if (c.member != null) {
                    holding.add(c.member);
                }
            }
            failAll(failure);
            if (!finished) {
                finished = true;
                cluster.jobEnded(this);
            }
        }
        if (stopNodes && !holding.isEmpty()) {
            cluster.cancelOnNodes(jobId, holding);
        }
    }

    /**
     * The job's deadline passed: every item not yet delivered fails with a
     * {@link NodeTimeLimitException} naming the node its chunk was running on, if any, and the
     * chunks are stopped on the nodes.
     *
     * @param limit the deadline, from the call
     */
    void deadlinePassed(Duration limit) {
        Map<Integer, String> running = new HashMap<>();
        synchronized (this) {
            for (Chunk c : inFlight.keySet()) {
                if (c.member != null) {
                    for (int index : c.indexes) {
                        running.put(index, c.member.getAddress().toString());
                    }
                }
            }
        }
        stop(index -> {
            String node = running.get(index);
            return new NodeTimeLimitException(0, limit, "not done by the deadline of " + limit.toMillis()
                    + " ms for the whole pmap" + (node == null ? " (not running then)"
                    : " (stopped on node " + node + ")"), index, node);
        }, true);
    }

    String id() {
        return jobId;
    }

    /** Sends what can be sent; fails everything left if no node could take it for too long. */
    synchronized void pump() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        List<Member> members = cluster.members();
        int usable = 0;
        for (Member m : members) {
            long[] s = suspect.get(m.getUuid());
            if (s == null || s[0] < now) {
                usable++;
            }
        }
        if (members.size() > 1) {
            List<Member> byLoad = new ArrayList<>(members);
            byLoad.sort(Comparator.comparingInt(cluster::load));
            members = byLoad;
        }
        if (!pending.isEmpty() && inFlight.isEmpty() && usable == 0) {
            if (stuckSince < 0) {
                stuckSince = now;
            } else if (now - stuckSince > cluster.options().noNodeWait().toNanos()) {
                String reason = "no pprocess node of cluster '" + cluster.options().clusterName()
                        + "' could take the item for " + cluster.options().noNodeWait().toSeconds() + " s"
                        + (members.isEmpty() ? " (no node is left)" : " (every node failed to answer)");
                failAll(index -> new ClusterException(reason, null, index, null));
                return;
            }
        }
        if (pending.isEmpty() || members.isEmpty()) {
            return;
        }
        boolean sent = true;
        while (sent && !pending.isEmpty()) {
            sent = false;
            for (Member m : members) {
                if (pending.isEmpty()) {
                    break;
                }
                long[] s = suspect.get(m.getUuid());
                if (s != null && s[0] >= now) {
                    continue;
                }
                if (perMember.getOrDefault(m.getUuid(), 0) < WINDOW) {
                    send(pending.poll(), m);
                    sent = true;
                }
            }
        }
    }

    private void send(Chunk chunk, Member member) {
        List<byte[]> payload = new ArrayList<>(chunk.indexes.length);
        for (int index : chunk.indexes) {
            payload.add(items.get(index));
        }
        long number = ++seq;
        ChunkTask task = new ChunkTask(jobId, number, payload, Auth.chunk(cluster.secret(), jobId, number, payload));
        int attempt = ++chunk.attempt;
        chunk.member = member;
        inFlight.put(chunk, chunk);
        perMember.merge(member.getUuid(), 1, Integer::sum);
        cluster.loadChange(member, 1);
        try {
            cluster.chunks().submitToMember(task, member, new ExecutionCallback<byte[]>() {
                @Override
                public void onResponse(byte[] answer) {
                    answered(chunk, attempt, member, answer, null);
                }

                @Override
                public void onFailure(Throwable t) {
                    answered(chunk, attempt, member, null, t);
                }
            });
        } catch (RuntimeException e) {
            lost(chunk, member, e);
        }
    }

    /** A node left: its chunks go back to the front of the queue. */
    synchronized void memberLeft(Member member) {
        List<Chunk> back = new ArrayList<>();
        for (Chunk c : inFlight.keySet()) {
            if (c.member != null && c.member.getUuid().equals(member.getUuid())) {
                back.add(c);
            }
        }
        for (Chunk c : back) {
            lost(c, member, null);
        }
        suspect.remove(member.getUuid());
        pump();
    }

    private void lost(Chunk chunk, Member member, Throwable why) {
        if (inFlight.remove(chunk) == null) {
            return;
        }
        perMember.merge(member.getUuid(), -1, Integer::sum);
        cluster.loadChange(member, -1);
        chunk.attempt++;
        chunk.member = null;
        chunk.lastFailure = "node " + member.getAddress() + " was lost" + (why == null ? "" : ": " + why);
        long[] s = suspect.computeIfAbsent(member.getUuid(), k -> new long[2]);
        s[1] = Math.min(s[1] + 1, 4);
        s[0] = System.nanoTime() + (125_000_000L << s[1]);
        pending.addFirst(chunk);
    }

    private synchronized void answered(Chunk chunk, int attempt, Member member, byte[] answer, Throwable error) {
        if (finished || chunk.attempt != attempt || inFlight.get(chunk) == null) {
            return;
        }
        try {
            if (error != null) {
                lost(chunk, member, error);
                return;
            }
            inFlight.remove(chunk);
            perMember.merge(member.getUuid(), -1, Integer::sum);
            cluster.loadChange(member, -1);
            suspect.remove(member.getUuid());
            stuckSince = -1;
            String node = member.getAddress().toString();
            if (answer == null || answer.length == 0) {
                retryOrFail(chunk, "node " + node + " sent an empty answer");
                return;
            }
            if (answer[0] == ChunkTask.OK) {
                deliver(chunk, node, answer);
                return;
            }
            String reason = reason(answer);
            if (answer[0] == ChunkTask.REFUSED) {
                failAll(index -> new ClusterException(reason, null, index, null));
            } else if (answer[0] == ChunkTask.UNKNOWN && republished++ < 3) {
                cluster.publish(this);
                pending.addFirst(chunk);
            } else {
                retryOrFail(chunk, reason);
            }
        } finally {
            pump();
        }
    }

    private void retryOrFail(Chunk chunk, String reason) {
        chunk.lastFailure = reason;
        if (++chunk.failedAttempts >= MAX_FAILED_ATTEMPTS) {
            for (int index : chunk.indexes) {
                finish(index, null, new ClusterException("the item's chunk could not be run after "
                        + MAX_FAILED_ATTEMPTS + " attempts; the last: " + reason, null, index, null));
            }
        } else {
            pending.add(chunk);
        }
    }

    private void deliver(Chunk chunk, String node, byte[] answer) {
        List<Wire.Outcome> outcomes;
        try {
            outcomes = Wire.readOutcomes(answer, 1);
            if (outcomes.size() != chunk.indexes.length) {
                throw new IOException(outcomes.size() + " outcomes for " + chunk.indexes.length + " items");
            }
        } catch (IOException e) {
            retryOrFail(chunk, "node " + node + " sent a malformed answer: " + e.getMessage());
            return;
        }
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            int index = chunk.indexes[i];
            Wire.Outcome o = outcomes.get(i);
            if (o.ok()) {
                Object value;
                try {
                    value = Wire.deserialise(o.value(), loader);
                } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                    finish(index, null, new NodeCodecException("cannot deserialise the result from node " + node
                            + ": " + e, e, index, null));
                    continue;
                }
                finish(index, value, null);
            } else if (o.kind() == Wire.CHILD && childRetries[index] < retries) {
                childRetries[index]++;
                again.add(index);
            } else {
                finish(index, null, failure(o, index, node));
            }
        }
        if (!again.isEmpty()) {
            pending.add(new Chunk(again.stream().mapToInt(Integer::intValue).toArray()));
        }
    }

    private PProcessException failure(Wire.Outcome o, int index, String node) {
        Wire.Failure f = o.failure();
        switch (o.kind()) {
            case Wire.TIMEOUT:
                return new NodeTimeLimitException(f.pid(), itemTimeout, f.message() + " on node " + node, index, node);
            case Wire.REMOTE:
                return new NodeRemoteException(f.className(), f.message(), f.pid(), f.stack(),
                        remoteCause(f.cause()), index, node);
            case Wire.CHILD:
                return new NodeChildProcessException(f.pid(), f.exitStatus(), f.message(), index, node);
            case Wire.CODEC:
                return new NodeCodecException(f.message(), null, index, node);
            default:
                return new ClusterException(f.message() + " (" + f.className() + " on node " + node + ")",
                        null, index, node);
        }
    }

    private static RemoteException remoteCause(Wire.Failure f) {
        return f == null ? null : new RemoteException(f.className(), f.message(), f.pid(), f.stack(), remoteCause(f.cause()));
    }

    private static String reason(byte[] answer) {
        try {
            return Wire.readString(new DataInputStream(new ByteArrayInputStream(answer, 1, answer.length - 1)));
        } catch (IOException e) {
            return "a malformed answer";
        }
    }

    private void failAll(IntFunction<PProcessException> failure) {
        for (Chunk c : inFlight.keySet()) {
            if (c.member != null) {
                cluster.loadChange(c.member, -1);
            }
        }
        pending.clear();
        inFlight.clear();
        perMember.clear();
        for (int index = 0; index < done.length; index++) {
            if (!done[index]) {
                finish(index, null, failure.apply(index));
            }
        }
    }

    private void finish(int index, Object value, PProcessException failure) {
        if (done[index]) {
            return;
        }
        done[index] = true;
        remaining--;
        if (failure != null) {
            sink.fail(index, failure);
        } else {
            sink.deliver(index, value);
        }
        if (remaining == 0 && !finished) {
            finished = true;
            pending.clear();
            cluster.jobEnded(this);
        }
    }
}
