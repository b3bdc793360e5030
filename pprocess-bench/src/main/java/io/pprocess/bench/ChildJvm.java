package io.pprocess.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the plain child JVMs that the baselines start themselves. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Returns a command running {@code mainClass} with this JVM's {@code java} and class path and
     * no other option, as one would type {@code java -cp . Hello}.
     *
     * @param mainClass the class to run
     * @param args its arguments
     * @return the command
     */
    static List<String> command(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
