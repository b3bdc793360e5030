package io.pprocess.internal.transport;

import io.pprocess.internal.message.Invocation;
import io.pprocess.ChannelTask;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.child.ChildMain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Fixtures shared by the pipe transport tests (process facts are in {@code io.pprocess.testing.Procs}). */
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
}
