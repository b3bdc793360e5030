package io.pprocess.internal.child;

import io.pprocess.internal.Setting;
import io.pprocess.internal.transport.PipeChildLink;
import io.pprocess.internal.transport.SocketListener;
import io.pprocess.internal.spawn.Transports;
import io.pprocess.internal.spawn.KeptWorkerTask;
import io.pprocess.internal.spawn.Launcher;
import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelTask;
import io.pprocess.ChannelTask1;
import io.pprocess.ChannelTask2;
import io.pprocess.ChannelTask3;
import io.pprocess.CodecException;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.codec.Codec;
import io.pprocess.internal.persist.PersistentServer;
import java.nio.file.Path;
import io.pprocess.internal.transport.Link;
import io.pprocess.internal.wire.ExitStatus;
import io.pprocess.internal.wire.Frames;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The entry point of every child JVM: connects to the parent, receives the task, runs it,
 * sends any exception, and exits.
 *
 * <p>Pure JDK plus Kryo: no native code is loaded here. Unless the child is detached, a daemon
 * thread watches the parent and ends the child within a fraction of a second of the parent's
 * death, so a killed parent leaves no orphans.
 */
public final class ChildMain {

    private static final long WATCH_MILLIS = 200;
    /** How long a child that cannot connect waits to see whether its parent is exiting. */
    private static final long QUIET_EXIT_MILLIS = 1000;

    private ChildMain() {
    }

    /**
     * Runs the child.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        String parent = System.getenv(Launcher.ENV_PARENT_PID);
        if (parent == null) {
            System.err.println("pprocess: io.pprocess.internal.child.ChildMain is started by"
                    + " PProcess.start, not by hand");
            System.exit(ExitStatus.NO_PARENT);
        }
        if (!"1".equals(System.getenv(Launcher.ENV_DETACHED))) {
            watchParent(Long.parseLong(parent));
        }
        // Anonymous classes rather than lambdas here: the first lambda of a JVM costs a
        // bootstrap that would delay connecting; the warm-up thread pays it in parallel.
        Thread warmUp = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Codec.warmUp();
                } catch (RuntimeException | LinkageError e) {
                    // Only a head start: the task's own decoding reports any real problem.
                }
            }
        }, "pprocess-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        Link link;
        try {
            link = openLink();
        } catch (IOException | RuntimeException e) {
            if (parentStaysFor(Long.parseLong(parent), QUIET_EXIT_MILLIS)) {
                System.err.println("pprocess: child process " + ProcessHandle.current().pid()
                        + " cannot reach its parent: " + e);
            }
            System.exit(ExitStatus.NO_PARENT);
            return;
        }
        FrameChannel channel = new FrameChannel(link, null);
        Invocation invocation;
        try {
            invocation = (Invocation) channel.receiveTask(new Consumer<Object>() {
                @Override
                public void accept(Object shapes) {
                    Codec.prepare(shapes);
                }
            });
        } catch (ChannelException e) {
            // The parent closed the channel before giving a task (an unused spare): not an error.
            channel.close();
            exit(ExitStatus.OK);
            return;
        } catch (RuntimeException e) {
            channel.send(new CodecException(cannotDecodeTask(e), e));
            channel.close();
            exit(ExitStatus.TASK_FAILED);
            return;
        }
        if (invocation.persistent() != null && invocation.task() == KeptWorkerTask.SERVE) {
            exit(KeptWorkerServer.serve(invocation.persistent(), channel));
            return;
        }
        if (invocation.persistent() != null) {
            exit(runPersistent(invocation, channel));
            return;
        }
        int status = run(invocation, channel);
        channel.close();
        exit(status);
    }

    /**
     * Says why the task could not be decoded; a class missing here is named with this child's
     * class path, the usual cause being a parent whose code is where children do not look.
     *
     * @param e the decoder's failure
     * @return the message
     */
    public static String cannotDecodeTask(Throwable e) {
        String missing = null;
        for (Throwable t = e; t != null && missing == null; t = t.getCause()) {
            if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
                missing = t.getMessage();
            } else if (t.getMessage() != null && t.getMessage().startsWith("Unable to find class: ")) {
                missing = t.getMessage().substring("Unable to find class: ".length()).strip();
                int end = missing.indexOf('\n');
                missing = end < 0 ? missing : missing.substring(0, end).strip();
            }
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        if (missing == null) {
            return "child process " + pid + " cannot decode its task: " + e.getMessage();
        }
        StringBuilder sb = new StringBuilder("child process ").append(pid).append(" cannot load class ")
                .append(missing.replace('/', '.')).append(" of its task: it is not on the child's class path ")
                .append(System.getProperty("java.class.path", ""));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            sb.append(" nor its module path ").append(modulePath);
        }
        sb.append("; give children the parent's class path with PProcess.setClassPath, -Dpprocess.classPath")
                .append(" or PPROCESS_CLASS_PATH");
        return sb.toString();
    }

    /**
     * Binds the address, tells the parent it is listening (its pid) or why it cannot, leaves
     * the parent, and runs the task on the persistent channel.
     */
    private static int runPersistent(Invocation invocation, FrameChannel parent) {
        PersistentSpec spec = invocation.persistent();
        PersistentServer server;
        try {
            server = PersistentServer.bind(Path.of(spec.address()), spec.idleMillis());
        } catch (IOException | RuntimeException e) {
            parent.send(new IOException("cannot listen at " + spec.address() + ": " + e.getMessage()));
            parent.close();
            return ExitStatus.TASK_FAILED;
        }
        try {
            parent.send(ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            server.close();
            return ExitStatus.TASK_FAILED;
        }
        parent.close();
        int status;
        try {
            invoke(invocation, server);
            server.finish();
            status = ExitStatus.OK;
        } catch (PersistentServer.IdleException e) {
            System.err.println("pprocess: " + e.getMessage());
            status = ExitStatus.IDLE;
        } catch (Throwable t) {
            try {
                status = fail(t, server);
            } catch (PersistentServer.IdleException idle) {
                System.err.println("pprocess: " + idle.getMessage());
                status = ExitStatus.IDLE;
            }
        } finally {
            server.close();
        }
        return status;
    }

    static int run(Invocation invocation, FrameChannel channel) {
        try {
            invoke(invocation, channel);
        } catch (Throwable t) {
            return fail(t, channel);
        }
        try {
            if (channel.isOpen()) {
                channel.sendEnd();
            }
        } catch (ChannelException e) {
            // The parent closed the channel first: it wants nothing more.
        }
        return ExitStatus.OK;
    }

    /**
     * Reports a task's failure on its channel as a child does (a virtual machine error other
     * than a stack overflow halts the process).
     *
     * @param t what the task threw
     * @param channel its channel
     * @return the exit status a child would have: 1
     */
    public static int fail(Throwable t, Channel channel) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            halt(t);
        }
        try {
            channel.send(t);
        } catch (ChannelException e) {
            // The parent is gone or closed the channel; nobody is left to tell.
        } catch (RuntimeException e) {
            System.err.println("pprocess: child process " + ProcessHandle.current().pid()
                    + " could not report its failure: " + e);
            t.printStackTrace();
        }
        return ExitStatus.TASK_FAILED;
    }

    /**
     * Runs a task with its arguments on a channel.
     *
     * @param invocation the task and its arguments
     * @param channel the task's channel
     * @throws Exception whatever the task throws
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void invoke(Invocation invocation, Channel channel) throws Exception {
        Object task = invocation.task();
        Object[] a = invocation.args() == null ? new Object[0] : invocation.args();
        if (task instanceof ChannelTask && a.length == 0) {
            ((ChannelTask) task).run(channel);
        } else if (task instanceof ChannelTask1 && a.length == 1) {
            ((ChannelTask1) task).run(channel, a[0]);
        } else if (task instanceof ChannelTask2 && a.length == 2) {
            ((ChannelTask2) task).run(channel, a[0], a[1]);
        } else if (task instanceof ChannelTask3 && a.length == 3) {
            ((ChannelTask3) task).run(channel, a[0], a[1], a[2]);
        } else {
            throw new IllegalArgumentException("cannot run " + (task == null ? "null" : task.getClass().getName())
                    + " with " + a.length + " argument(s)");
        }
    }

    private static Link openLink() throws IOException {
        String transport = System.getenv(Transports.ENV_CHILD_TRANSPORT);
        if ("pipe".equals(transport)) {
            return PipeChildLink.open();
        }
        String address = System.getenv(SocketListener.ENV_ADDRESS);
        String token = System.getenv(Frames.TOKEN_ENV);
        if (address == null || token == null) {
            throw new IOException("no " + SocketListener.ENV_ADDRESS + "/" + Frames.TOKEN_ENV
                    + " in the environment");
        }
        return SocketListener.connect(address, token);
    }

    private static void watchParent(long parentPid) {
        if (!parentIs(parentPid)) {
            endOrphan(1);
        }
        Thread watcher = new Thread(new Runnable() {
            @Override
            public void run() {
                while (true) {
                    try {
                        Thread.sleep(WATCH_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!parentIs(parentPid)) {
                        endOrphan(1);
                        return;
                    }
                }
            }
        }, "pprocess-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Tells whether the parent is still there after a while: a child that cannot connect because
     * its parent is exiting (a spare being started at that moment) ends quietly.
     */
    private static boolean parentStaysFor(long pid, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (parentIs(pid)) {
            if (System.nanoTime() >= deadline) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean parentIs(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return parent.isPresent() && parent.get().pid() == pid;
    }

    /** How long an orphaned child's exit may take before the child halts. */
    static final long ORPHAN_EXIT_MILLIS = 1_000;

    /** The same for a child recording an ahead-of-time configuration, which its exit writes. */
    static final long RECORDING_EXIT_MILLIS = 20_000;

    /**
     * Ends a child whose parent (or claiming program) is gone. It exits rather than halts, so
     * that the JVM's own work at exit is done: a flight recording started with the child's
     * options, for one, removes its repository in the temporary directory at exit, and a halt
     * left one directory behind for every such child (as did a halt in the middle of an exit
     * already under way when the child read the end of its channel and its parent was gone). A
     * daemon thread halts the process if the exit has not ended after {@link #ORPHAN_EXIT_MILLIS}
     * ({@link #RECORDING_EXIT_MILLIS} for a child recording an ahead-of-time configuration) (a
     * shutdown hook that hangs). Called while the JVM is already exiting, this waits for that
     * exit under the same bound. Does not return.
     *
     * @param status the exit status
     */
    public static void endOrphan(int status) {
        Thread halter = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    // A JVM recording an ahead-of-time configuration writes it at its exit.
                    Thread.sleep(Setting.AOT_RECORDING.flag(false) ? RECORDING_EXIT_MILLIS
                            : ORPHAN_EXIT_MILLIS);
                } catch (InterruptedException e) {
                    // Halt now.
                }
                Runtime.getRuntime().halt(status);
            }
        }, "pprocess-orphan-halt");
        halter.setDaemon(true);
        halter.start();
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    private static void halt(Throwable t) {
        System.err.println("pprocess: child process " + ProcessHandle.current().pid() + " failed: " + t);
        System.err.flush();
        Runtime.getRuntime().halt(ExitStatus.OUT_OF_MEMORY);
    }

    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
