package io.pprocess.internal.transport;

import io.pprocess.ChannelTask;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.child.ChildMain;
import io.pprocess.internal.codec.Invocation;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers shared by the pipe transport tests. */
final class PipeFixtures {

    private PipeFixtures() {
    }

    /** @return two links joined by two pipes, in this process: what one writes the other reads */
    static PipeLink[] linkPair() throws IOException {
        Posix.load();
        Posix.DESCRIPTORS.lock();
        try {
            int[] ab = Posix.pipeAbove(2);
            int[] ba = Posix.pipeAbove(2);
            return new PipeLink[] {new PipeLink(Posix.get(), ba[0], ab[1]), new PipeLink(Posix.get(), ab[0], ba[1])};
        } finally {
            Posix.DESCRIPTORS.unlock();
        }
    }

    /** @return a command running a shell script; the channel is {@code <&3} and {@code >&4} */
    static List<String> shell(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    /** @return the command that starts {@link ChildMain}, as the launcher builds it */
    static List<String> javaChild() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName());
    }

    /** Sends a child {@code ChildMain} its first message: run {@code task}. */
    static void sendTask(FrameChannel channel, ChannelTask task) {
        channel.sendTaskFrame(FrameChannel.encodeTask(new Invocation(task, new Object[0], null)));
    }

    /** @return the environment {@link ChildMain} needs on the pipe transport */
    static Map<String, String> javaChildEnvironment() {
        return Map.of(ChildMain.ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()),
                Transports.ENV_CHILD_TRANSPORT, "pipe");
    }

    /** @return the number of descriptors this process has open */
    static int openDescriptorCount() {
        String[] names = new File("/proc/self/fd").list();
        return names == null ? -1 : names.length;
    }

    /** @return what each open descriptor of this process refers to, for failure messages */
    static java.util.List<String> openDescriptors() {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] names = new File("/proc/self/fd").list();
        if (names != null) {
            for (String n : names) {
                try {
                    out.add(n + " -> " + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", n)));
                } catch (IOException e) {
                    out.add(n + " (gone)");
                }
            }
        }
        return out;
    }

    /** @return the number of live Java threads */
    static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** @return the number of zombie children of this process, from {@code /proc} */
    static int zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        int zombies = 0;
        File[] entries = new File("/proc").listFiles();
        if (entries == null) {
            throw new IOException("cannot list /proc");
        }
        for (File entry : entries) {
            if (!entry.getName().chars().allMatch(Character::isDigit)) {
                continue;
            }
            String stat;
            try {
                stat = Files.readString(entry.toPath().resolve("stat"));
            } catch (IOException e) {
                continue; // The process has gone.
            }
            // pid (comm) state ppid ...; comm may hold spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") && Long.parseLong(fields[1]) == self) {
                zombies++;
            }
        }
        return zombies;
    }

    /** @return the target of one of this process's descriptors, such as {@code pipe:[1234]} */
    static String descriptorTarget(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
    }

    /** Waits up to {@code millis} for {@code condition}; returns whether it came true. */
    static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
