package io.pprocess.internal.child;

import io.pprocess.internal.transport.Link;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A child's end of the pipe transport: fd 3 to read, fd 4 to write, opened through
 * {@code /dev/fd} with plain JDK streams (no native code in the child).
 *
 * <p>Opening {@code /dev/fd/N} yields new descriptors for the same pipe ends, so the child's
 * channel shows as fds 3 and 4 plus the two reopened ones; all belong to this channel.
 * {@link #awaitReadable} asks the pipe how many bytes it holds ({@code FIONREAD}) in a short
 * back-off loop: the JDK cannot select on a pipe it did not create.
 */
final class PipeChildLink implements Link {
    private static final int READ_FD = 3;
    private static final int WRITE_FD = 4;

    private final FileInputStream inStream;
    private final FileOutputStream outStream;
    private final FileChannel in;
    private final FileChannel out;
    private volatile boolean open = true;

    private PipeChildLink(FileInputStream inStream, FileOutputStream outStream) {
        this.inStream = inStream;
        this.outStream = outStream;
        this.in = inStream.getChannel();
        this.out = outStream.getChannel();
    }

    static PipeChildLink open() throws IOException {
        FileInputStream inStream = new FileInputStream("/dev/fd/" + READ_FD);
        FileOutputStream outStream = new FileOutputStream("/dev/fd/" + WRITE_FD);
        return new PipeChildLink(inStream, outStream);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return in.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            out.write(src);
        }
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pause = 1;
        while (true) {
            if (inStream.available() > 0) {
                return true;
            }
            if (timeoutMillis == 0 || timeoutMillis > 0 && System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, 20);
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
