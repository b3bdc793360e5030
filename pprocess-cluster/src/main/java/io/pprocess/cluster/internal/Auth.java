package io.pprocess.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;

/**
 * The authentication codes of jobs and chunks: HMAC-SHA256 with the cluster's shared secret.
 *
 * <p>A job's code covers the cluster name, the job id, the SHA-256 of each class-path jar in
 * order, and the SHA-256 of the serialised function; a chunk's code covers the job id, the
 * chunk's number and every item's bytes; a cancellation's covers the cluster name and the job
 * id. Each field is preceded by its length, so that no two
 * different inputs give the same byte string.
 */
public final class Auth {

    private Auth() {
    }

    /**
     * Computes a job's code.
     *
     * @param secret the shared secret
     * @param cluster the cluster name
     * @param jobId the job id
     * @param jars the hex SHA-256 of the class-path jars, in class-path order
     * @param function the serialised function
     * @return the code
     */
    public static byte[] job(Secret secret, String cluster, String jobId, List<String> jars, byte[] function) {
        Mac mac = secret.mac();
        field(mac, "pprocess-cluster job v1".getBytes(StandardCharsets.US_ASCII));
        field(mac, cluster.getBytes(StandardCharsets.UTF_8));
        field(mac, jobId.getBytes(StandardCharsets.UTF_8));
        mac.update(ByteBuffer.allocate(4).putInt(jars.size()).array());
        for (String jar : jars) {
            field(mac, jar.getBytes(StandardCharsets.US_ASCII));
        }
        field(mac, sha256(function));
        return mac.doFinal();
    }

    /**
     * Computes a chunk's code.
     *
     * @param secret the shared secret
     * @param jobId the job id
     * @param seq the chunk's number
     * @param items the items' bytes
     * @return the code
     */
    public static byte[] chunk(Secret secret, String jobId, long seq, List<byte[]> items) {
        Mac mac = secret.mac();
        field(mac, "pprocess-cluster chunk v1".getBytes(StandardCharsets.US_ASCII));
        field(mac, jobId.getBytes(StandardCharsets.UTF_8));
        mac.update(ByteBuffer.allocate(12).putLong(seq).putInt(items.size()).array());
        for (byte[] item : items) {
            field(mac, item);
        }
        return mac.doFinal();
    }

    /**
     * Computes the code of a job's cancellation.
     *
     * @param secret the shared secret
     * @param cluster the cluster name
     * @param jobId the job id
     * @return the code
     */
    public static byte[] cancel(Secret secret, String cluster, String jobId) {
        Mac mac = secret.mac();
        field(mac, "pprocess-cluster cancel v1".getBytes(StandardCharsets.US_ASCII));
        field(mac, cluster.getBytes(StandardCharsets.UTF_8));
        field(mac, jobId.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    /**
     * @param bytes some bytes
     * @return their SHA-256
     */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * @param bytes some bytes
     * @return their SHA-256 in lower-case hex
     */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static void field(Mac mac, byte[] bytes) {
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
