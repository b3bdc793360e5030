package io.pprocess.internal;

/**
 * The threads pprocess keeps for itself (acceptors, reapers, cleaners) and its shutdown hooks.
 * They belong to the JVM's root thread group, not to the group of the application thread that
 * happened to need them first: a host that interrupts or destroys the threads of a program's
 * group when the program returns ({@code mvn exec:java}, some application servers) would
 * otherwise close the listening socket under pprocess or keep its hooks from running, and
 * leave its temporary directory behind. The context class loader is the creating thread's, as
 * for any thread.
 */
public final class LibraryThreads {
    private static final ThreadGroup ROOT = root();

    private LibraryThreads() {
    }

    private static ThreadGroup root() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    /**
     * Creates a daemon thread of the root group, not started.
     *
     * @param task what it runs
     * @param name its name
     * @return the thread
     */
    public static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(ROOT, task, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Registers a shutdown hook whose thread is of the root group.
     *
     * @param task what it runs when the JVM exits
     * @param name its thread's name
     */
    public static void onShutdown(Runnable task, String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(ROOT, task, name));
    }
}
