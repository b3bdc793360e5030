package io.pprocess.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A driver's order to stop a job on a node: the job's chunks queued there are answered at
 * once, those running are cancelled in their job host (the children running them end), and
 * later chunks of it are not run. Sent through an executor of its own, so that it never waits
 * behind chunks. Authenticated like a chunk ({@link Auth#cancel}).
 */
public final class CancelTask implements Callable<Boolean>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** The executor the cancellations are submitted to. */
    public static final String EXECUTOR = "pprocess-control";

    String jobId;
    byte[] mac;
    private transient HazelcastInstance instance;

    CancelTask() {
    }

    /**
     * Creates a cancellation.
     *
     * @param jobId the job's id
     * @param mac its code
     */
    public CancelTask(String jobId, byte[] mac) {
        this.jobId = jobId;
        this.mac = mac;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public Boolean call() {
        Object service = instance == null ? null : instance.getUserContext().get(NodeService.KEY);
        return service instanceof NodeService node && node.cancel(this);
    }

    @Override
    public int getFactoryId() {
        return Serial.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Serial.CANCEL;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(jobId);
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        jobId = in.readString();
        mac = in.readByteArray();
    }
}
