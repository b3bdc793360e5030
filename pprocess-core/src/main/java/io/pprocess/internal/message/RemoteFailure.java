package io.pprocess.internal.message;

import io.pprocess.RemoteException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What crosses a channel in place of an exception: its class name, message, stack, cause and
 * suppressed exceptions, in types that any JVM can read.
 */
public final class RemoteFailure {
    private static final int MAX_DEPTH = 32;

    String className;
    String message;
    long pid;
    String[] frames; // 4 strings per frame: class, method, file, line
    RemoteFailure cause;
    RemoteFailure[] suppressed;

    RemoteFailure() {
    }

    /**
     * Captures an exception.
     *
     * @param t the exception
     * @param pid the pid of the process that threw it
     * @return its description
     */
    public static RemoteFailure of(Throwable t, long pid) {
        return of(t, pid, new IdentityHashMap<>(), 0);
    }

    private static RemoteFailure of(Throwable t, long pid, Map<Throwable, Boolean> seen, int depth) {
        RemoteFailure f = new RemoteFailure();
        seen.put(t, Boolean.TRUE);
        if (t instanceof RemoteException) {
            RemoteException r = (RemoteException) t;
            f.className = r.remoteClassName();
            f.message = r.remoteMessage();
            f.pid = r.pid();
        } else {
            f.className = t.getClass().getName();
            f.message = t.getMessage();
            f.pid = pid;
        }
        StackTraceElement[] stack = t.getStackTrace();
        f.frames = new String[stack.length * 4];
        for (int i = 0; i < stack.length; i++) {
            f.frames[i * 4] = stack[i].getClassName();
            f.frames[i * 4 + 1] = stack[i].getMethodName();
            f.frames[i * 4 + 2] = stack[i].getFileName();
            f.frames[i * 4 + 3] = Integer.toString(stack[i].getLineNumber());
        }
        Throwable cause = t.getCause();
        if (cause != null && !seen.containsKey(cause) && depth < MAX_DEPTH) {
            f.cause = of(cause, pid, seen, depth + 1);
        }
        List<RemoteFailure> sup = new ArrayList<>();
        for (Throwable s : t.getSuppressed()) {
            if (!seen.containsKey(s) && depth < MAX_DEPTH) {
                sup.add(of(s, pid, seen, depth + 1));
            }
        }
        f.suppressed = sup.toArray(new RemoteFailure[0]);
        return f;
    }

    /** @return the exception to throw on this side */
    public RemoteException toException() {
        RemoteException causeException = cause == null ? null : cause.toException();
        StackTraceElement[] stack = new StackTraceElement[frames == null ? 0 : frames.length / 4];
        for (int i = 0; i < stack.length; i++) {
            int line;
            try {
                line = Integer.parseInt(frames[i * 4 + 3]);
            } catch (NumberFormatException e) {
                line = -1;
            }
            stack[i] = new StackTraceElement(frames[i * 4], frames[i * 4 + 1], frames[i * 4 + 2], line);
        }
        RemoteException e = new RemoteException(className, message, pid, stack, causeException);
        if (suppressed != null) {
            for (RemoteFailure s : suppressed) {
                e.addSuppressed(s.toException());
            }
        }
        return e;
    }
}
