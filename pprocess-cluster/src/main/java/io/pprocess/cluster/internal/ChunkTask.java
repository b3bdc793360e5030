package io.pprocess.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A chunk of a job's items, sent to one node through the cluster's executor. The items are
 * bytes the node does not read; it checks the chunk's code, then hands them to the job host of
 * the job's class path. The answer is {@link #OK} followed by the items' outcomes
 * ({@link Wire}), or {@link #REFUSED} or {@link #FAILED} followed by a reason.
 */
public final class ChunkTask implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** The executor the chunks are submitted to. */
    public static final String EXECUTOR = "pprocess";
    /** Answer: the outcomes follow. */
    public static final byte OK = 0;
    /** Answer: the node refused the job (authentication); no node will take it. */
    public static final byte REFUSED = 1;
    /** Answer: the node could not run the chunk; another may. */
    public static final byte FAILED = 2;
    /** Answer: the job (or one of its jars) is not in the cluster's maps; publish it again. */
    public static final byte UNKNOWN = 3;
    /** Answer: the job was cancelled; the chunk did not run or was stopped. */
    public static final byte CANCELLED = 4;

    String jobId;
    long seq;
    List<byte[]> items;
    byte[] mac;
    private transient HazelcastInstance instance;

    ChunkTask() {
    }

    /**
     * Creates a chunk.
     *
     * @param jobId the job's id
     * @param seq the chunk's number, unique in the job
     * @param items the items' bytes
     * @param mac the chunk's code
     */
    public ChunkTask(String jobId, long seq, List<byte[]> items, byte[] mac) {
        this.jobId = jobId;
        this.seq = seq;
        this.items = items;
        this.mac = mac;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public byte[] call() {
        Object service = instance == null ? null : instance.getUserContext().get(NodeService.KEY);
        if (!(service instanceof NodeService)) {
            return NodeService.answer(REFUSED, "member " + (instance == null ? "?" : instance.getName())
                    + " is not a pprocess node");
        }
        return ((NodeService) service).run(this);
    }

    @Override
    public int getFactoryId() {
        return Serial.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Serial.CHUNK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(jobId);
        out.writeLong(seq);
        out.writeInt(items.size());
        for (byte[] item : items) {
            out.writeByteArray(item);
        }
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        jobId = in.readString();
        seq = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("malformed chunk: " + n + " items");
        }
        items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(in.readByteArray());
        }
        mac = in.readByteArray();
    }
}
