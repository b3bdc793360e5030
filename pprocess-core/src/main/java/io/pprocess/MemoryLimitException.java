package io.pprocess;

/**
 * Thrown for a {@code pmap} item whose child passed its memory limit while running it: its
 * resident set grew past {@link PoolOptions#memoryLimit} (the parent killed it), or its heap
 * ran out ({@link PoolOptions#heapLimit}, or the JVM's own maximum: the child exits with
 * status 3). The child was replaced and the other items go on; with
 * {@linkplain PoolOptions#retries retries} the item is tried again in a new child.
 *
 * <p>The message says which limit was passed, for example
 * {@code "child process 4242 was killed by signal 9 (SIGKILL): its resident set of 700 MiB passed the memory limit of 512 MiB (memoryLimit)"}.
 */
public class MemoryLimitException extends ChildProcessException {
    private static final long serialVersionUID = 1L;

    /** The limit passed, in bytes, or -1 for the JVM's own heap maximum. */
    private final long limitBytes;

    /**
     * Creates the exception.
     *
     * @param pid the child's process id
     * @param exitStatus its exit status as the JDK reports it, or -1 if unknown
     * @param detail which limit was passed
     * @param limitBytes the limit in bytes, or -1 if it is the JVM's own heap maximum
     */
    public MemoryLimitException(long pid, int exitStatus, String detail, long limitBytes) {
        super(pid, exitStatus, detail);
        this.limitBytes = limitBytes;
    }

    /** @return the limit that was passed, in bytes, or -1 when it was the JVM's own heap maximum */
    public long limitBytes() {
        return limitBytes;
    }
}
