package io.pprocess.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jnr.posix.POSIX;

/**
 * The parent's end of the pipe transport: the read end of the pipe from the child and the
 * write end of the pipe to it, used through jnr-posix.
 *
 * <p>Both descriptors stay blocking for their whole life, so {@link #read} and {@link #write}
 * are plain {@code read(2)} and {@code write(2)} calls, whether or not pollers watch the link
 * (they watch through {@link ReadHandle} views, which never change the descriptor's mode).
 * Bytes pass through a direct buffer of the calling thread (as the JDK's channels do), so jnr
 * copies only the bytes moved. Reads are serialised among themselves, and so are writes.
 *
 * <p>{@link #close()} never blocks. It closes at once each descriptor no call is using; a
 * descriptor that a call is blocked on (a read waiting for the child) is closed when that
 * call returns, so its number cannot be reused under it. The write end goes first, so the
 * child sees the end of its input, exits, and so ends any read still waiting here. A read or
 * write blocked in the kernel is not ended by {@link Thread#interrupt()}; the waits of
 * {@link #read(ByteBuffer, long)} and {@link #awaitReadable} are.
 */
final class PipeLink implements Link {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** The capacity a pipe that carries large messages is grown to, at most. */
    static final int LARGEST_PIPE_BYTES = 1 << 20;
    /** A thread is in one read or one write at a time, so one buffer per thread serves both. */
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_BYTES));
    /** The same for the threads that move large messages over grown pipes, made on first use. */
    private static final ThreadLocal<ByteBuffer> LARGE_BUFFERS = new ThreadLocal<>();

    private final POSIX posix;
    private final int readFd;
    private final int writeFd;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private final Object awaitLock = new Object();

    private final Object state = new Object();
    private boolean open = true;
    private int readUsers;
    private int writeUsers;
    private boolean readClosed;
    private boolean writeClosed;
    private final Set<ReadHandle> handles = new HashSet<>();
    private PipePoller readiness;

    /** The largest capacity this link asks for its pipes. */
    private final int largestPipeBytes;
    /** The pipe read from. */
    private final Capacity readPipe;
    /** The pipe written to. */
    private final Capacity writePipe;
    /** Pipe capacity given to this link's pipes beyond their first size, in bytes. Under state. */
    private long grownBytes;

    /**
     * Wraps two descriptors, which the link now owns.
     *
     * @param posix the binding
     * @param readFd the read end of the pipe from the peer
     * @param writeFd the write end of the pipe to the peer
     */
    PipeLink(POSIX posix, int readFd, int writeFd) {
        this(posix, readFd, writeFd, LARGEST_PIPE_BYTES);
    }

    /**
     * Wraps two descriptors, which the link now owns, growing its pipes up to a given capacity.
     *
     * @param posix the binding
     * @param readFd the read end of the pipe from the peer
     * @param writeFd the write end of the pipe to the peer
     * @param largestPipeBytes the largest capacity to ask for either pipe
     */
    PipeLink(POSIX posix, int readFd, int writeFd, int largestPipeBytes) {
        this.posix = posix;
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.largestPipeBytes = largestPipeBytes;
        this.readPipe = new Capacity(readFd);
        this.writePipe = new Capacity(writeFd);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            ensureOpen();
            return 0;
        }
        synchronized (readLock) {
            enterRead();
            try {
                int want = Math.min(dst.remaining(), readPipe.span());
                boolean direct = dst.isDirect();
                ByteBuffer readBuffer = direct ? dst : buffer(want);
                if (!direct) {
                    readBuffer.clear();
                }
                int n;
                do {
                    n = posix.read(readFd, readBuffer, want);
                } while (n < 0 && Posix.interrupted());
                if (n < 0) {
                    throw Posix.failure("read from " + this);
                }
                if (n == 0) {
                    return -1;
                }
                if (direct) {
                    dst.position(dst.position() + n);
                } else {
                    readBuffer.limit(n);
                    dst.put(readBuffer);
                }
                if (n >= readPipe.span() && readPipe.mayGrow) {
                    readPipe.tookAll(n);
                }
                return n;
            } finally {
                leaveRead();
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits with {@link #awaitReadable}, which an interrupt wakes, then reads with a plain
     * blocking {@code read(2)} that finds input (or the end) at once. An empty pipe is first
     * looked at again for a few microseconds ({@link ReadSpin}) before the wait sleeps.
     */
    @Override
    public int read(ByteBuffer dst, long timeoutMillis) throws IOException {
        if (!dst.hasRemaining()) {
            ensureOpen();
            return 0;
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        if (timeoutMillis != 0 && ReadSpin.NANOS > 0 && !awaitReadable(0)) {
            ReadSpin.poll(() -> awaitReadable(0));
        }
        long wait = timeoutMillis;
        while (!awaitReadable(wait)) {
            ensureOpen();
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while waiting for input");
            }
            if (timeoutMillis == 0) {
                return 0;
            }
            if (timeoutMillis > 0) {
                wait = (deadline - System.nanoTime() + 999_999) / 1_000_000L;
                if (wait <= 0) {
                    return 0;
                }
            }
        }
        return read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        synchronized (writeLock) {
            enterWrite();
            try {
                if (src.remaining() > writePipe.span() && writePipe.mayGrow) {
                    // A large message out: the pipe back is grown too, for its answer.
                    writePipe.ensure(src.remaining());
                    growReadPipe(src.remaining());
                }
                if (src.isDirect() && !src.isReadOnly()) {
                    while (src.hasRemaining()) {
                        int n = posix.write(writeFd, src, src.remaining());
                        if (n < 0) {
                            if (Posix.interrupted()) {
                                continue;
                            }
                            throw Posix.failure("write to " + this);
                        }
                        src.position(src.position() + n);
                    }
                    return;
                }
                // A pipeful per copy: fewer, larger writes (smaller copies measured slower).
                int most = writePipe.span();
                while (src.hasRemaining()) {
                    int chunk = Math.min(src.remaining(), most);
                    ByteBuffer writeBuffer = buffer(chunk);
                    writeBuffer.clear();
                    writeBuffer.put(0, src, src.position(), chunk);
                    int done = 0;
                    while (done < chunk) {
                        writeBuffer.position(done);
                        int n = posix.write(writeFd, writeBuffer, chunk - done);
                        if (n < 0) {
                            if (Posix.interrupted()) {
                                continue;
                            }
                            throw Posix.failure("write to " + this);
                        }
                        done += n;
                        src.position(src.position() + n);
                    }
                }
            } finally {
                leaveWrite();
            }
        }
    }

    /** @return this thread's direct buffer of at least {@code bytes} bytes */
    private static ByteBuffer buffer(int bytes) {
        if (bytes <= BUFFER_BYTES) {
            return BUFFERS.get();
        }
        ByteBuffer large = LARGE_BUFFERS.get();
        if (large == null || large.capacity() < bytes) {
            int size = Math.max(bytes, Math.min(Integer.highestOneBit(bytes - 1) << 1, LARGEST_PIPE_BYTES));
            large = ByteBuffer.allocateDirect(size);
            LARGE_BUFFERS.set(large);
        }
        return large;
    }

    /**
     * Grows the pipe read from for a large answer, as a reader of the link: a closed link's
     * read descriptor may be closed already, and its number reused.
     */
    private void growReadPipe(int bytes) {
        try {
            enterRead();
        } catch (ClosedChannelException e) {
            return;
        }
        try {
            readPipe.ensure(bytes);
        } finally {
            leaveRead();
        }
    }

    /** Asks for a larger pipe and counts what was given; -1 if it stays as it is. */
    private int grow(int fd, int current, int wanted) {
        int granted = Posix.growPipe(fd, current, wanted);
        if (granted > 0) {
            boolean closed;
            synchronized (state) {
                closed = !open;
                if (!closed) {
                    grownBytes += granted - current;
                }
            }
            if (closed) {
                Posix.releaseGrowth(granted - current);
            }
        }
        return granted;
    }

    /** What this link knows of one of its pipes' capacity, and that pipe's growth. */
    private final class Capacity {
        private final int fd;
        /** The capacity, once learnt; 0 before. */
        private volatile int bytes;
        /** Whether the pipe may still grow: it is below the largest size and was never refused. */
        volatile boolean mayGrow = true;

        Capacity(int fd) {
            this.fd = fd;
        }

        /** @return the most one read or write moves at once: the capacity, at least {@link #BUFFER_BYTES} */
        int span() {
            return Math.max(BUFFER_BYTES, bytes);
        }

        /**
         * Grows the pipe to hold {@code wanted} bytes, rounded up to a power of two, at most
         * {@link #largestPipeBytes}; once refused, it stays as it is for good.
         */
        synchronized void ensure(long wanted) {
            if (!mayGrow || !learn()) {
                return;
            }
            int target = (int) Math.min(Long.highestOneBit(wanted - 1) << 1, largestPipeBytes);
            if (target <= bytes) {
                return;
            }
            int granted = grow(fd, bytes, target);
            if (granted > 0) {
                bytes = granted;
            }
            mayGrow = granted > 0 && granted < largestPipeBytes;
        }

        /**
         * A read took {@code n} bytes: if that is all the pipe holds, the pipe was full and its
         * writer may be waiting to write more, so the pipe doubles.
         */
        synchronized void tookAll(int n) {
            if (mayGrow && learn() && n >= bytes) {
                ensure(2L * bytes);
            }
        }

        private boolean learn() {
            if (bytes == 0) {
                int known = Posix.pipeBytes(fd);
                if (known <= 0) {
                    mayGrow = false;
                    return false;
                }
                bytes = known;
            }
            return true;
        }
    }

    /** @return the capacity of the pipe this link writes to, read from the kernel, for tests */
    int writePipeBytes() {
        return Posix.pipeBytes(writeFd);
    }

    /** @return the capacity of the pipe this link reads from, read from the kernel, for tests */
    int readPipeBytes() {
        return Posix.pipeBytes(readFd);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Watches the read descriptor with a private {@link PipePoller}, made on first use.
     * {@link #close()} ends a wait in progress, which then returns {@code false}.
     */
    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        synchronized (awaitLock) {
            enterRead();
            try {
                PipePoller poller;
                synchronized (state) {
                    poller = readiness;
                }
                if (poller == null) {
                    Posix.DESCRIPTORS.lock();
                    try {
                        poller = new PipePoller();
                    } finally {
                        Posix.DESCRIPTORS.unlock();
                    }
                    try {
                        poller.register(this, this);
                    } catch (IOException | RuntimeException e) {
                        poller.close();
                        throw e;
                    }
                    synchronized (state) {
                        readiness = poller;
                        if (!open) {
                            // Closed before the poller was published: close() could not wake it.
                            return false;
                        }
                    }
                }
                return !poller.select(timeoutMillis).isEmpty();
            } finally {
                leaveRead();
            }
        }
    }

    @Override
    public boolean isOpen() {
        synchronized (state) {
            return open;
        }
    }

    @Override
    public void close() {
        List<ReadHandle> views;
        PipePoller poller;
        boolean closeRead;
        boolean closeWrite;
        long grown;
        synchronized (state) {
            if (!open) {
                return;
            }
            open = false;
            views = new ArrayList<>(handles);
            poller = readiness;
            closeWrite = writeUsers == 0;
            closeRead = readUsers == 0;
            writeClosed |= closeWrite;
            readClosed |= closeRead;
            grown = grownBytes;
            grownBytes = 0;
        }
        Posix.releaseGrowth(grown);
        for (ReadHandle view : views) {
            try {
                view.close();
            } catch (IOException ignored) {
                // A view owns no descriptor: closing it only cancels its keys.
            }
        }
        if (closeWrite) {
            posix.close(writeFd);
        }
        if (poller != null) {
            poller.wakeup();
        }
        if (closeRead) {
            closeReadSide(poller);
        }
    }

    /**
     * Opens a view of the read descriptor for a poller to register.
     *
     * @return the view
     * @throws ClosedChannelException if the link is closed
     */
    ReadHandle openHandle() throws ClosedChannelException {
        synchronized (state) {
            if (!open) {
                throw new ClosedChannelException();
            }
            ReadHandle view = new ReadHandle(this, readFd);
            handles.add(view);
            return view;
        }
    }

    /** Forgets a view that has been closed. */
    void forget(ReadHandle view) {
        synchronized (state) {
            handles.remove(view);
        }
    }

    /** @return the read descriptor, for tests */
    int readFd() {
        return readFd;
    }

    /** @return the write descriptor, for tests */
    int writeFd() {
        return writeFd;
    }

    private void ensureOpen() throws ClosedChannelException {
        synchronized (state) {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }

    private void enterRead() throws ClosedChannelException {
        synchronized (state) {
            if (!open) {
                throw new ClosedChannelException();
            }
            readUsers++;
        }
    }

    private void leaveRead() {
        PipePoller poller;
        synchronized (state) {
            readUsers--;
            if (open || readUsers > 0 || readClosed) {
                return;
            }
            readClosed = true;
            poller = readiness;
        }
        closeReadSide(poller);
    }

    private void closeReadSide(PipePoller poller) {
        if (poller != null) {
            poller.close();
        }
        posix.close(readFd);
    }

    private void enterWrite() throws ClosedChannelException {
        synchronized (state) {
            if (!open) {
                throw new ClosedChannelException();
            }
            writeUsers++;
        }
    }

    private void leaveWrite() {
        synchronized (state) {
            writeUsers--;
            if (open || writeUsers > 0 || writeClosed) {
                return;
            }
            writeClosed = true;
        }
        posix.close(writeFd);
    }

    @Override
    public String toString() {
        return "pipe link (read fd " + readFd + ", write fd " + writeFd + ")";
    }
}
