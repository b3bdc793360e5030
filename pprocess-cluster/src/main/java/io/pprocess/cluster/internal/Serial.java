package io.pprocess.cluster.internal;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The Hazelcast serialisation of the cluster's own messages: they are
 * {@link IdentifiedDataSerializable}, so no Java serialisation (and no user class) is involved
 * on a member.
 */
public final class Serial implements DataSerializableFactory {
    /** The factory id, registered on members and clients. */
    public static final int FACTORY_ID = 0x5050_0001;
    /** {@link JobSpec}. */
    static final int JOB = 1;
    /** {@link ChunkTask}. */
    static final int CHUNK = 2;
    /** {@link CancelTask}. */
    static final int CANCEL = 3;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        switch (typeId) {
            case JOB:
                return new JobSpec();
            case CHUNK:
                return new ChunkTask();
            case CANCEL:
                return new CancelTask();
            default:
                return null;
        }
    }
}
