package io.pprocess.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as the driver publishes it in the {@value #MAP} map: its class path (SHA-256 of each
 * jar, in order), the serialised function and the job's authentication code. Nodes read it
 * once per job and check the code before anything else.
 */
public final class JobSpec implements IdentifiedDataSerializable {
    /** The map of published jobs, by job id. */
    public static final String MAP = "pprocess.jobs";

    String jobId;
    String driver;
    List<String> jars;
    byte[] function;
    byte[] mac;

    JobSpec() {
    }

    /**
     * Creates a job.
     *
     * @param jobId its id
     * @param driver a description of the driver, for the nodes' log
     * @param jars the SHA-256 of its class-path jars, in order
     * @param function the serialised function
     * @param mac its authentication code
     */
    public JobSpec(String jobId, String driver, List<String> jars, byte[] function, byte[] mac) {
        this.jobId = jobId;
        this.driver = driver;
        this.jars = List.copyOf(jars);
        this.function = function;
        this.mac = mac;
    }

    @Override
    public int getFactoryId() {
        return Serial.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Serial.JOB;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(jobId);
        out.writeString(driver);
        out.writeInt(jars.size());
        for (String jar : jars) {
            out.writeString(jar);
        }
        out.writeByteArray(function);
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        jobId = in.readString();
        driver = in.readString();
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("malformed job: " + n + " jars");
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readString());
        }
        jars = List.copyOf(list);
        function = in.readByteArray();
        mac = in.readByteArray();
    }
}
