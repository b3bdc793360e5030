package io.pprocess.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte formats of the cluster, in one place: how values become bytes (Java serialisation),
 * the outcome of each item as a job host reports it, and the strings and byte arrays inside.
 *
 * <p>Outcomes: {@code int n}, then per item a kind byte — {@link #OK} followed by the result's
 * bytes, or a failure kind ({@link #REMOTE}, {@link #CHILD}, {@link #CODEC}, {@link #OTHER},
 * {@link #TIMEOUT})
 * followed by a {@link Failure}. A node passes these bytes from its job host to the driver
 * without reading them. Nothing here touches Hazelcast: the job host JVM loads this class.
 */
public final class Wire {
    /** An item's result follows. */
    public static final byte OK = 0;
    /** The item's function threw in a child: a {@link io.pprocess.RemoteException}. */
    public static final byte REMOTE = 1;
    /** The item's child died without answering: a {@link io.pprocess.ChildProcessException}. */
    public static final byte CHILD = 2;
    /** The item or its result could not be (de)serialised. */
    public static final byte CODEC = 3;
    /** Anything else that went wrong on the node. */
    public static final byte OTHER = 4;
    /**
     * The item ran past its time limit: its child was killed ({@link io.pprocess.TimeLimitException});
     * the failure's pid is that child's.
     */
    public static final byte TIMEOUT = 5;

    /** The longest byte array or string accepted from a peer: 512 MiB. */
    public static final int MAX_LENGTH = 512 << 20;

    private Wire() {
    }

    /**
     * A failure as it crosses the cluster: the exception's class name, message, the pid and exit
     * status of the process concerned, its stack and its remote cause.
     *
     * @param className the exception's class name
     * @param message its message, or null
     * @param pid the process id, or 0
     * @param exitStatus the exit status, or -1
     * @param stack the stack trace
     * @param cause the cause, or null
     */
    public record Failure(String className, String message, long pid, int exitStatus,
                          StackTraceElement[] stack, Failure cause) {
    }

    /** A decoded outcome: the result's bytes, or a failure of a kind. */
    public record Outcome(byte kind, byte[] value, Failure failure) {
        /** @return whether the item succeeded */
        public boolean ok() {
            return kind == OK;
        }
    }

    /**
     * Serialises a value with Java serialisation.
     *
     * @param value the value
     * @return its bytes
     * @throws java.io.NotSerializableException (as an {@link IOException}) naming the class that is not serialisable
     */
    public static byte[] serialise(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserialises a value, resolving classes with {@code loader}.
     *
     * @param bytes the bytes
     * @param loader the class loader
     * @return the value
     * @throws IOException if they cannot be read
     * @throws ClassNotFoundException if a class is missing
     */
    public static Object deserialise(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        }
    }

    /**
     * Writes outcomes.
     *
     * @param out where to
     * @param outcomes the outcomes
     * @throws IOException if writing fails
     */
    public static void writeOutcomes(DataOutputStream out, List<Outcome> outcomes) throws IOException {
        out.writeInt(outcomes.size());
        for (Outcome o : outcomes) {
            out.writeByte(o.kind());
            if (o.ok()) {
                writeBytes(out, o.value());
            } else {
                writeFailure(out, o.failure());
            }
        }
    }

    /**
     * Reads outcomes.
     *
     * @param bytes the bytes
     * @param offset where they start
     * @return the outcomes
     * @throws IOException if they are malformed
     */
    public static List<Outcome> readOutcomes(byte[] bytes, int offset) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, bytes.length - offset));
        int n = in.readInt();
        if (n < 0 || n > bytes.length) {
            throw new IOException("malformed outcomes: count " + n);
        }
        List<Outcome> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            if (kind == OK) {
                outcomes.add(new Outcome(kind, readBytes(in), null));
            } else if (kind >= REMOTE && kind <= TIMEOUT) {
                outcomes.add(new Outcome(kind, null, readFailure(in, 0)));
            } else {
                throw new IOException("malformed outcomes: kind " + kind);
            }
        }
        return outcomes;
    }

    /**
     * Describes a throwable as a failure.
     *
     * @param t the throwable
     * @param pid the process id, or 0
     * @param exitStatus the exit status, or -1
     * @return the failure
     */
    public static Failure failureOf(Throwable t, long pid, int exitStatus) {
        Throwable cause = t.getCause();
        return new Failure(t.getClass().getName(), t.getMessage(), pid, exitStatus, t.getStackTrace(),
                cause == null || cause == t ? null : failureOf(cause, pid, -1));
    }

    static void writeFailure(DataOutputStream out, Failure f) throws IOException {
        writeString(out, f.className());
        writeString(out, f.message());
        out.writeLong(f.pid());
        out.writeInt(f.exitStatus());
        StackTraceElement[] stack = f.stack() == null ? new StackTraceElement[0] : f.stack();
        out.writeInt(stack.length);
        for (StackTraceElement e : stack) {
            writeString(out, e.getClassName());
            writeString(out, e.getMethodName());
            writeString(out, e.getFileName());
            out.writeInt(e.getLineNumber());
        }
        out.writeBoolean(f.cause() != null);
        if (f.cause() != null) {
            writeFailure(out, f.cause());
        }
    }

    static Failure readFailure(DataInputStream in, int depth) throws IOException {
        if (depth > 64) {
            throw new IOException("malformed failure: causes nested more than 64 deep");
        }
        String className = readString(in);
        String message = readString(in);
        long pid = in.readLong();
        int status = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("malformed failure: stack of " + n);
        }
        StackTraceElement[] stack = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            String cls = readString(in);
            String method = readString(in);
            String file = readString(in);
            int line = in.readInt();
            stack[i] = new StackTraceElement(cls == null ? "?" : cls, method == null ? "?" : method, file, line);
        }
        Failure cause = in.readBoolean() ? readFailure(in, depth + 1) : null;
        return new Failure(className == null ? "?" : className, message, pid, status, stack, cause);
    }

    /**
     * Writes a string that may be null.
     *
     * @param out where to
     * @param s the string
     * @throws IOException if writing fails
     */
    public static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a string that may be null.
     *
     * @param in where from
     * @return the string
     * @throws IOException if reading fails
     */
    public static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Writes a byte array that may be null.
     *
     * @param out where to
     * @param b the bytes
     * @throws IOException if writing fails
     */
    public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    /**
     * Reads a byte array that may be null.
     *
     * @param in where from
     * @return the bytes
     * @throws IOException if reading fails or the length is out of bounds
     */
    public static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("malformed message: a length of " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /**
     * A stream reading a socket channel directly. Unlike {@code Channels.newInputStream}, it
     * does not hold the channel's blocking lock while it waits, so another thread can write
     * to the channel meanwhile.
     *
     * @param channel a channel in blocking mode
     * @return the stream
     */
    public static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /**
     * A stream writing a socket channel directly, without its blocking lock (see
     * {@link #input}).
     *
     * @param channel a channel in blocking mode
     * @return the stream
     */
    public static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
