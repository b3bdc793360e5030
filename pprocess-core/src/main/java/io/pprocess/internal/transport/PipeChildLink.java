package io.pprocess.internal.transport;

import io.pprocess.internal.wire.Frames;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * A child's end of the pipe transport: fd 3 to read, fd 4 to write, opened through
 * {@code /dev/fd} with plain JDK streams (no native code in the child).
 *
 * <p>Opening {@code /dev/fd/N} yields new descriptors for the same pipe ends, so the child's
 * channel shows as fds 3 and 4 plus the two reopened ones; all belong to this channel. Once
 * open, the link greets the parent as a socket child does: a {@link Frames#HELLO} frame with the
 * token from {@link Frames#TOKEN_ENV}.
 *
 * <p>The JDK cannot select on a pipe it did not create, and the byte count a pipe reports
 * ({@code FIONREAD}) is 0 both when it is empty and at the end of the stream. So when
 * {@link #awaitReadable} finds the pipe empty, it hands one blocking read to a helper thread
 * and waits for that read to return; what it returns (bytes, the end of the stream, or a
 * failure) is kept for the next {@link #read}. The helper ends with its read: a wait costs a
 * thread only while the pipe stays empty. Before either wait, an empty pipe is looked at again
 * for a few microseconds ({@link ReadSpin}): the parent's answer usually comes within that time.
 */
public final class PipeChildLink implements Link {
    static final int READ_FD = 3;
    static final int WRITE_FD = 4;
    private static final int READ_AHEAD_BYTES = 64 * 1024;

    private final FileInputStream inStream;
    private final FileOutputStream outStream;
    private final FileChannel in;
    private final FileChannel out;
    private volatile boolean open = true;

    private final Object lock = new Object();
    /** Bytes the helper read, ready to be taken; {@code null} if none. */
    private ByteBuffer ahead;
    private boolean aheadEnd;
    private IOException aheadFailure;
    /** Whether the helper's read is under way. */
    private boolean aheadPending;
    /** Whether a caller's own read is under way, so the helper must not read as well. */
    private boolean reading;

    private PipeChildLink(FileInputStream inStream, FileOutputStream outStream) {
        this.inStream = inStream;
        this.outStream = outStream;
        this.in = inStream.getChannel();
        this.out = outStream.getChannel();
    }

    /**
     * Opens the child's end of the pipe transport and greets the parent.
     *
     * @return the link
     * @throws IOException if the descriptors cannot be opened or {@link Frames#TOKEN_ENV} is missing
     */
    public static PipeChildLink open() throws IOException {
        String token = System.getenv(Frames.TOKEN_ENV);
        if (token == null) {
            throw new IOException("no " + Frames.TOKEN_ENV + " in the environment");
        }
        FileInputStream inStream = new FileInputStream("/dev/fd/" + READ_FD);
        FileOutputStream outStream = new FileOutputStream("/dev/fd/" + WRITE_FD);
        PipeChildLink link = new PipeChildLink(inStream, outStream);
        link.write(Frames.childHello(Frames.tokenFromText(token)));
        return link;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (lock) {
            while (aheadPending) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for input from the parent");
                }
            }
            if (ahead != null) {
                int n = Math.min(ahead.remaining(), dst.remaining());
                dst.put(dst.position(), ahead, ahead.position(), n);
                dst.position(dst.position() + n);
                ahead.position(ahead.position() + n);
                if (!ahead.hasRemaining()) {
                    ahead = null;
                }
                return n;
            }
            if (aheadFailure != null) {
                IOException failure = aheadFailure;
                aheadFailure = null;
                throw failure;
            }
            if (aheadEnd) {
                return -1;
            }
            reading = true;
        }
        try {
            if (ReadSpin.NANOS > 0 && inStream.available() == 0) {
                // At the end of the stream too the pipe reports no bytes: the read then returns -1.
                ReadSpin.poll(() -> inStream.available() > 0);
            }
            return in.read(dst);
        } finally {
            synchronized (lock) {
                reading = false;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a time limit, waits as {@link #awaitReadable} does (an interrupt ends that wait).
     * Without one, this is the plain blocking read: the JDK closes a file channel whose reader
     * is interrupted, so in a child that uses the pipe transport an interrupt during an
     * unlimited wait closes the channel.
     */
    @Override
    public int read(ByteBuffer dst, long timeoutMillis) throws IOException {
        if (timeoutMillis < 0 || !dst.hasRemaining()) {
            return read(dst);
        }
        if (!awaitReadable(timeoutMillis)) {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for input from the parent");
            }
            return 0;
        }
        return read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            out.write(src);
        }
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        synchronized (lock) {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (ahead != null || aheadEnd || aheadFailure != null) {
                return true;
            }
            if (!aheadPending && inStream.available() > 0) {
                return true;
            }
            if (timeoutMillis == 0 || reading) {
                return false;
            }
            if (!aheadPending && ReadSpin.poll(() -> inStream.available() > 0)) {
                return true;
            }
            if (!aheadPending) {
                aheadPending = true;
                Thread helper = new Thread(this::readAhead, "pprocess-pipe-read-ahead");
                helper.setDaemon(true);
                helper.start();
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (aheadPending) {
                long left = timeoutMillis < 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000L;
                if (timeoutMillis > 0 && left <= 0) {
                    return false;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void readAhead() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD_BYTES);
        int n;
        IOException failure = null;
        try {
            n = in.read(buffer);
        } catch (IOException e) {
            n = 0;
            failure = e;
        }
        synchronized (lock) {
            if (failure != null) {
                aheadFailure = failure;
            } else if (n < 0) {
                aheadEnd = true;
            } else if (n > 0) {
                ahead = buffer.flip();
            }
            aheadPending = false;
            lock.notifyAll();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        try {
            inStream.close();
        } catch (IOException ignored) {
            // Closing our end of a pipe.
        }
        try {
            outStream.close();
        } catch (IOException ignored) {
            // Closing our end of a pipe.
        }
    }
}
