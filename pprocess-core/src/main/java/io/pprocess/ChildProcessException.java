package io.pprocess;

import java.util.OptionalInt;

/**
 * Thrown in the parent when a child process ended without giving the answer being waited for:
 * it was killed by a signal, called {@code System.exit}, ran out of memory, or returned without
 * sending.
 *
 * <p>The message names the pid and either the exit status or the signal, for example
 * {@code "child process 4242 was killed by signal 9 (SIGKILL)"}.
 */
public class ChildProcessException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /** The child's process id. */
    private final long pid;
    /** The exit status as the JDK reports it, or -1 if unknown. */
    private final int exitStatus;
    /** The signal that ended the child, or 0. */
    private final int signal;

    /**
     * Creates an exception for a child that has ended.
     *
     * @param pid the child's process id
     * @param exitStatus the exit status as the JDK reports it ({@code 128 + n} for signal n),
     *     or -1 if unknown
     * @param detail what the parent was doing, or {@code null}
     */
    public ChildProcessException(long pid, int exitStatus, String detail) {
        super(describe(pid, exitStatus, detail));
        this.pid = pid;
        this.exitStatus = exitStatus;
        this.signal = exitStatus > 128 && exitStatus < 128 + 65 ? exitStatus - 128 : 0;
    }

    /**
     * Creates an exception for a child whose status is not (yet) known.
     *
     * @param pid the child's process id
     * @param message the full message
     * @param cause the underlying failure, or {@code null}
     */
    public ChildProcessException(long pid, String message, Throwable cause) {
        super(message, cause);
        this.pid = pid;
        this.exitStatus = -1;
        this.signal = 0;
    }

    /** @return the child's process id */
    public long pid() {
        return pid;
    }

    /** @return the child's exit status as the JDK reports it, or -1 if it is unknown */
    public int exitStatus() {
        return exitStatus;
    }

    /** @return the number of the signal that ended the child, if a signal did */
    public OptionalInt signal() {
        return signal == 0 ? OptionalInt.empty() : OptionalInt.of(signal);
    }

    private static String describe(long pid, int status, String detail) {
        StringBuilder sb = new StringBuilder("child process ").append(pid);
        if (status > 128 && status < 128 + 65) {
            int sig = status - 128;
            sb.append(" was killed by signal ").append(sig);
            String name = signalName(sig);
            if (name != null) {
                sb.append(" (").append(name).append(')');
            }
        } else if (status >= 0) {
            sb.append(" exited with status ").append(status);
        } else {
            sb.append(" ended");
        }
        if (detail != null) {
            sb.append(' ').append(detail);
        }
        return sb.toString();
    }

    private static String signalName(int sig) {
        switch (sig) {
            case 1: return "SIGHUP";
            case 2: return "SIGINT";
            case 3: return "SIGQUIT";
            case 4: return "SIGILL";
            case 6: return "SIGABRT";
            case 7: return "SIGBUS";
            case 8: return "SIGFPE";
            case 9: return "SIGKILL";
            case 11: return "SIGSEGV";
            case 13: return "SIGPIPE";
            case 14: return "SIGALRM";
            case 15: return "SIGTERM";
            default: return null;
        }
    }
}
