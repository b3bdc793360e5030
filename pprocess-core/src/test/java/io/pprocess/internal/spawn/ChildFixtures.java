package io.pprocess.internal.spawn;

import io.pprocess.ChannelTask;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.child.ChildMain;
import io.pprocess.internal.message.Invocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Children for the transport tests: shell programs on the channel's descriptors, and {@link ChildMain}. */
final class ChildFixtures {

    private ChildFixtures() {
    }

    /** @return a command running a shell script; the pipe transport's channel is {@code <&3} and {@code >&4} */
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
        return Map.of(Launcher.ENV_PARENT_PID, Long.toString(ProcessHandle.current().pid()),
                Transports.ENV_CHILD_TRANSPORT, "pipe");
    }
}
