package io.pprocess;

/**
 * A child's exception, raised in the parent by {@link Channel#receive()}.
 *
 * <p>The child's exception object itself does not cross the channel (its class may not even
 * exist in the parent); what crosses is its class name, message, stack trace, causes and
 * suppressed exceptions. {@link #getStackTrace()} is the child's stack, so a printed trace
 * shows where the child failed; each cause is itself a {@code RemoteException}.
 */
public class RemoteException extends PProcessException {
    private static final long serialVersionUID = 1L;

    /** The class name of the exception in the child. */
    private final String remoteClassName;
    /** Its message, or null. */
    private final String remoteMessage;
    /** The pid of the process that threw, or 0 for the parent. */
    private final long pid;

    /**
     * Creates a remote exception.
     *
     * @param remoteClassName the class name of the exception in the child
     * @param remoteMessage its message, or {@code null}
     * @param pid the child's process id, or 0 when the sender was the parent
     * @param stack the child's stack trace
     * @param cause the remote cause, or {@code null}
     */
    public RemoteException(String remoteClassName, String remoteMessage, long pid,
                           StackTraceElement[] stack, RemoteException cause) {
        super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage, cause);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.pid = pid;
        setStackTrace(stack);
    }

    /** @return the fully qualified class name of the exception thrown in the child */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return the message of the exception thrown in the child, or {@code null} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the pid of the process that threw, or 0 when it was the parent */
    public long pid() {
        return pid;
    }

    /**
     * Tells whether the remote exception was of the given type. The check is by name along
     * the remote class's hierarchy as far as it is known on this side.
     *
     * @param type the type to test
     * @return whether the remote exception was an instance of {@code type}
     */
    public boolean isInstanceOf(Class<? extends Throwable> type) {
        if (type.getName().equals(remoteClassName)) {
            return true;
        }
        try {
            Class<?> remote = Class.forName(remoteClassName, false, type.getClassLoader());
            return type.isAssignableFrom(remote);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
