package io.pprocess.cluster.internal;

import io.pprocess.cluster.ClusterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of a cluster, read from a file only its owner may read, and the
 * HMAC-SHA256 codes computed with it.
 */
public final class Secret {
    /** The fewest bytes a secret may have. */
    public static final int MIN_BYTES = 16;

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final SecretKeySpec key;

    private Secret(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /**
     * Reads a secret file: a regular file (not a link), of mode 0600 or 0400, owned by this
     * user; its content less a final line end is the secret.
     *
     * @param file the file
     * @return the secret
     * @throws ClusterException naming the file and the problem
     */
    public static Secret read(Path file) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ClusterException("cannot read the secret file " + file + ": " + e);
        }
        if (!attributes.isRegularFile()) {
            throw new ClusterException("the secret file " + file + " is not a regular file");
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
        open.retainAll(OTHERS);
        if (!open.isEmpty()) {
            throw new ClusterException("the secret file " + file + " is open to others (mode "
                    + mode(attributes.permissions()) + "); make it readable by its owner only: chmod 600 " + file);
        }
        String me = System.getProperty("user.name");
        if (me != null && !attributes.owner().getName().equals(me)) {
            throw new ClusterException("the secret file " + file + " belongs to " + attributes.owner().getName()
                    + ", not to " + me);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClusterException("cannot read the secret file " + file + ": " + e);
        }
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length < MIN_BYTES) {
            throw new ClusterException("the secret in " + file + " is too short: " + length + " bytes, at least "
                    + MIN_BYTES + " are needed (for example: head -c 32 /dev/urandom | base64 > " + file + ")");
        }
        byte[] secret = java.util.Arrays.copyOf(bytes, length);
        java.util.Arrays.fill(bytes, (byte) 0);
        return new Secret(secret);
    }

    /**
     * Makes a secret from bytes, for tests.
     *
     * @param text the secret
     * @return the secret
     */
    public static Secret of(String text) {
        return new Secret(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a new HMAC-SHA256 keyed with this secret */
    public Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Compares two codes in time independent of where they differ.
     *
     * @param a one code
     * @param b the other
     * @return whether they are equal
     */
    public static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
