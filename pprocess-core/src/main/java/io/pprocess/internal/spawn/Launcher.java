package io.pprocess.internal.spawn;

import io.pprocess.internal.message.Invocation;
import io.pprocess.internal.message.PersistentSpec;
import io.pprocess.internal.Setting;
import io.pprocess.ChildProcessException;
import io.pprocess.PProcessException;
import io.pprocess.RemoteException;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.channel.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts child JVMs: the parent's own {@code java}, the class path and module path of
 * {@link ChildClassPath}, the configured JVM options, and {@code ChildMain} as the main class.
 */
public final class Launcher {
    /**
     * The child's main class, by name: the parent starts it in another JVM and calls none of
     * its code ({@code LauncherTest} checks the name).
     */
    public static final String CHILD_MAIN = "io.pprocess.internal.child.ChildMain";
    /** Environment variable: the parent's pid. */
    public static final String ENV_PARENT_PID = "PPROCESS_PARENT_PID";
    /** Environment variable: set to 1 for a child that must outlive its parent. */
    public static final String ENV_DETACHED = "PPROCESS_DETACHED";

    /**
     * JVM options every child gets first; later options override them. The JVM's own messages
     * (such as running out of memory) go to standard error, never into a program's output.
     */
    static final List<String> BASE_OPTIONS = List.of(
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+DisplayVMOutputToStderr",
            "-Xshare:auto");

    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile List<String> userOptions = parseOptions();

    private Launcher() {
    }

    /**
     * Replaces the extra JVM options given to children started from now on.
     *
     * @param options options such as {@code -Xmx512m}
     */
    public static void setJvmOptions(List<String> options) {
        for (String o : options) {
            if (o == null || o.isBlank()) {
                throw new IllegalArgumentException("blank JVM option in " + options);
            }
        }
        userOptions = List.copyOf(options);
    }

    /** @return the extra JVM options given to children */
    public static List<String> jvmOptions() {
        return userOptions;
    }

    /**
     * Starts a child and gives it its task.
     *
     * @param invocation the task and its arguments
     * @return the parent's end of the channel
     * @throws io.pprocess.CodecException if the task cannot be serialised (no child is started)
     */
    public static FrameChannel start(Invocation invocation) {
        return start(invocation, List.of());
    }

    /**
     * Starts a child with JVM options of its own (after the configured ones, so they win) and
     * gives it its task. With options, no spare is used: spares run with the configured ones.
     *
     * @param invocation the task and its arguments
     * @param extraOptions options for this child only, such as {@code -Xmx256m}
     * @return the parent's end of the channel
     * @throws io.pprocess.CodecException if the task cannot be serialised (no child is started)
     * @throws ChildProcessException if the child ends before connecting
     */
    public static FrameChannel start(Invocation invocation, List<String> extraOptions) {
        byte[] task = FrameChannel.encodeTask(invocation);
        FrameChannel channel;
        if (extraOptions.isEmpty()) {
            Spares.noteTask(invocation.task());
            channel = Spares.takeOrSpawn();
        } else {
            channel = spawn(false, extraOptions);
        }
        return handOver(channel, task);
    }

    /**
     * Gives a child waiting for its task (a spare, or a kept worker from
     * {@link KeptWorkers#take()}) its task.
     *
     * @param channel the parent's end of its channel
     * @param task a frame made by {@link FrameChannel#encodeTask}
     * @return the channel
     * @throws io.pprocess.ChannelException if the child is gone; the channel is then terminated
     */
    public static FrameChannel handOver(FrameChannel channel, byte[] task) {
        try {
            channel.sendTaskFrame(task);
        } catch (RuntimeException e) {
            channel.terminate();
            throw e;
        }
        return channel;
    }

    /**
     * Starts a persistent child: detached, listening at its address, surviving this JVM.
     *
     * @param invocation the task, its arguments and where to listen
     * @param log where its output goes, or {@code null} to discard it
     * @return the child's pid
     * @throws PProcessException naming the address if the child cannot listen there
     */
    public static long startPersistent(Invocation invocation, java.nio.file.Path log) {
        byte[] task = FrameChannel.encodeTask(invocation);
        Map<String, String> env = new HashMap<>();
        env.put(ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        env.put(Transports.ENV_CHILD_TRANSPORT, "socket");
        env.put(ENV_DETACHED, "1");
        Spawned spawned;
        try {
            ChildClassPath.Paths paths = ChildClassPath.current();
            try {
                spawned = Transports.socket().spawnDetached(command(paths, List.of()), env,
                        connectTimeoutMillis(), log);
            } catch (ChildStartException e) {
                throw new ChildProcessException(e.pid(), e.exitStatus(), startFailure(paths));
            }
        } catch (IOException e) {
            throw new PProcessException("cannot start a persistent process: " + e.getMessage(), e);
        }
        try (FrameChannel channel = new FrameChannel(spawned.link(), spawned.process())) {
            channel.sendTaskFrame(task);
            long pid = channel.receive();
            channel.leaveRunning();
            return pid;
        } catch (RemoteException e) {
            throw new PProcessException("cannot start a persistent process at "
                    + invocation.persistent().address() + ": " + e.remoteMessage(), e);
        }
    }

    /**
     * Starts a kept worker: a detached child that listens at {@code address} and serves jobs
     * ({@code io.pprocess.internal.child.KeptWorkerServer}); it maps the class-data-sharing
     * archive of this class path if one has been recorded.
     *
     * @param address the socket file path
     * @param idleMillis how long it waits for a job before it ends
     * @return its pid
     * @throws PProcessException if it cannot be started or cannot listen there
     */
    public static long startKept(java.nio.file.Path address, long idleMillis) {
        byte[] task = FrameChannel.encodeTask(new Invocation(KeptWorkerTask.SERVE, null,
                new PersistentSpec(address.toString(), idleMillis)));
        Map<String, String> env = new HashMap<>();
        env.put(ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        env.put(Transports.ENV_CHILD_TRANSPORT, "socket");
        env.put(ENV_DETACHED, "1");
        ChildClassPath.Paths paths = ChildClassPath.current();
        ClassDataSharing.Plan cds = ClassDataSharing.forKeptWorker(
                paths.onModulePath() ? null : paths.classPathString(), userOptions);
        Spawned spawned;
        try {
            spawned = Transports.socket().spawnDetached(command(paths, cds.options), env, connectTimeoutMillis(), null);
        } catch (ChildStartException e) {
            cds.abandon();
            throw new ChildProcessException(e.pid(), e.exitStatus(), startFailure(paths));
        } catch (IOException e) {
            cds.abandon();
            throw new PProcessException("cannot start a kept worker: " + e.getMessage(), e);
        }
        cds.started(spawned.process());
        try (FrameChannel channel = new FrameChannel(spawned.link(), spawned.process())) {
            channel.sendTaskFrame(task);
            long pid = channel.receive();
            // Closing the starter's channel must not end the worker: it serves jobs until its
            // idle limit, not for the exit grace of a finished child.
            channel.leaveRunning();
            return pid;
        } catch (RemoteException e) {
            throw new PProcessException("cannot start a kept worker at " + address + ": " + e.remoteMessage(), e);
        }
    }

    /**
     * Starts a child that waits for its task.
     *
     * @param detached whether the child outlives this JVM
     * @return the parent's end of its channel
     * @throws ChildProcessException if the child ends before connecting
     * @throws PProcessException if it cannot be started
     */
    public static FrameChannel spawn(boolean detached) {
        return spawn(detached, List.of());
    }

    private static FrameChannel spawn(boolean detached, List<String> extraOptions) {
        Transport transport = Transports.current();
        Map<String, String> env = new HashMap<>();
        env.put(ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        env.put(Transports.ENV_CHILD_TRANSPORT, transport.name());
        if (detached) {
            env.put(ENV_DETACHED, "1");
        }
        ChildClassPath.Paths paths = ChildClassPath.current();
        List<String> options = userOptions;
        if (!extraOptions.isEmpty()) {
            options = new ArrayList<>(userOptions);
            options.addAll(extraOptions);
        }
        // A detached child may run for as long as it likes: it does not record the ahead-of-time
        // configuration, which would hold back every other child of its build until it ends.
        ClassDataSharing.Plan cds = ClassDataSharing.plan(paths.onModulePath() ? null : paths.classPathString(),
                options, true, !detached);
        Spawned spawned;
        try {
            spawned = transport.spawn(command(paths, cds.options, extraOptions), env, connectTimeoutMillis());
        } catch (ChildStartException e) {
            cds.abandon();
            throw new ChildProcessException(e.pid(), e.exitStatus(), startFailure(paths, options));
        } catch (IOException e) {
            cds.abandon();
            throw new PProcessException("cannot start a child process: " + e.getMessage(), e);
        }
        ChildProcess process = spawned.process();
        cds.started(process);
        LIVE.add(process);
        process.onExit(() -> {
            LIVE.remove(process);
            if (cds.afterExit != null) {
                cds.afterExit.run();
            }
        });
        return new FrameChannel(spawned.link(), process);
    }

    /**
     * Reaps the children that have ended.
     *
     * @return how many children started by this JVM are still running
     */
    public static int reapEnded() {
        for (ChildProcess p : LIVE) {
            try {
                if (p.waitFor(0).isPresent()) {
                    LIVE.remove(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return LIVE.size();
    }

    /**
     * Says why a child may have ended before connecting: what it was started with, and how to
     * change it (its own standard error, inherited, says the rest).
     */
    static String startFailure(ChildClassPath.Paths paths) {
        return startFailure(paths, userOptions);
    }

    private static String startFailure(ChildClassPath.Paths paths, List<String> options) {
        StringBuilder sb = new StringBuilder("before connecting; it was started with ");
        if (paths.onModulePath()) {
            sb.append("module path ").append(paths.modulePathString()).append(" and ");
        }
        sb.append("class path ").append(paths.classPathString())
                .append(" (set it with PProcess.setClassPath, -D").append(ChildClassPath.PROPERTY_CLASS_PATH)
                .append(" or ").append(ChildClassPath.ENV_CLASS_PATH).append(") and JVM options ")
                .append(options).append(" (PProcess.setJvmOptions, -Dpprocess.jvmOptions or PPROCESS_JVM_OPTIONS)");
        return sb.toString();
    }

    /**
     * The command line of a child: this JVM's {@code java}, the base, extra and user options,
     * where the code is, and {@code ChildMain}.
     *
     * @param paths the class path and module path
     * @param extraOptions options between the base options and the user's
     * @return the command
     */
    static List<String> command(ChildClassPath.Paths paths, List<String> extraOptions) {
        return command(paths, extraOptions, List.of());
    }

    /**
     * The command line of a child with options of its own after the user's (so they win).
     *
     * @param paths the class path and module path
     * @param extraOptions options between the base options and the user's
     * @param lastOptions options after the user's
     * @return the command
     */
    static List<String> command(ChildClassPath.Paths paths, List<String> extraOptions, List<String> lastOptions) {
        boolean userAot = userOptions.stream().anyMatch(o -> o.startsWith("-XX:AOT"));
        boolean aot = userAot || extraOptions.stream().anyMatch(o -> o.startsWith("-XX:AOT"));
        List<String> cmd = javaAndBaseOptions(aot, userOptions);
        cmd.addAll(userAot ? List.of() : extraOptions);
        String maxFrame = System.getProperty(Setting.MAX_FRAME_BYTES.key());
        if (maxFrame != null) {
            cmd.add("-Dpprocess.maxFrameBytes=" + maxFrame);
        }
        String readSpin = System.getProperty(Setting.READ_SPIN_MICROS.key());
        if (readSpin != null) {
            cmd.add("-D" + Setting.READ_SPIN_MICROS.key() + "=" + readSpin);
        }
        cmd.addAll(userOptions);
        cmd.addAll(lastOptions);
        if (!paths.classPath().isEmpty()) {
            cmd.add("-cp");
            cmd.add(paths.classPathString());
        }
        if (paths.onModulePath()) {
            cmd.add("--module-path");
            cmd.add(paths.modulePathString());
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
            cmd.add("-m");
            cmd.add(Launcher.class.getModule().getName() + "/" + CHILD_MAIN);
        } else {
            cmd.add(CHILD_MAIN);
        }
        return cmd;
    }

    /**
     * The start of every child JVM's command line: this JVM's {@code java}, the
     * {@link #BASE_OPTIONS} and the {@linkplain #releaseOptions options of this Java release}.
     *
     * @param aheadOfTime whether the command has ahead-of-time cache options, which JDK 24+
     *     refuses beside any {@code -Xshare} option (so those are left out)
     * @param userOptions the user's options, which may override the release's
     * @return a new, modifiable list
     */
    static List<String> javaAndBaseOptions(boolean aheadOfTime, List<String> userOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (String option : BASE_OPTIONS) {
            if (!(aheadOfTime && option.startsWith("-Xshare:"))) {
                cmd.add(option);
            }
        }
        cmd.addAll(releaseOptions(Runtime.version().feature(), userOptions));
        return cmd;
    }

    /**
     * The options a child gets on some Java releases only: from JDK 24, which warns on standard
     * error the first time a library uses {@code sun.misc.Unsafe}'s memory access (Kryo, which
     * the child cannot do without, does at its start), {@code --sun-misc-unsafe-memory-access=allow},
     * unless the user's options say otherwise.
     *
     * @param javaRelease the children's Java feature release
     * @param options the user's options
     * @return the options to add after the base ones
     */
    static List<String> releaseOptions(int javaRelease, List<String> options) {
        if (javaRelease < 24 || options.stream().anyMatch(o -> o.startsWith("--sun-misc-unsafe-memory-access"))) {
            return List.of();
        }
        return List.of("--sun-misc-unsafe-memory-access=allow");
    }

    private static List<String> parseOptions() {
        String value = Setting.JVM_OPTIONS.raw();
        if (value == null) {
            return List.of();
        }
        return List.copyOf(Arrays.asList(value.split("\\s+")));
    }

    private static long connectTimeoutMillis() {
        return Setting.CONNECT_TIMEOUT_MILLIS.longValue(60_000, 1);
    }
}
