package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void givesChildrenAClassPathThatDoesNotDependOnTheirWorkingDirectory() {
        String here = Path.of("").toAbsolutePath().toString();
        String sep = File.pathSeparator;
        ChildClassPath.Paths paths = ChildClassPath.discover("target/a.jar" + sep + "/opt/b.jar" + sep + "classes", "", null);
        assertThat(paths.classPath()).startsWith(here + "/target/a.jar", "/opt/b.jar", here + "/classes");
        List<String> command = Launcher.command(paths, List.of());
        assertThat(command).containsSubsequence("-cp", paths.classPathString(), "io.pprocess.internal.child.ChildMain");
    }

    @Test
    void theChildMainClassNamedByTheLauncherIsTheOneThatExists() {
        assertThat(Launcher.CHILD_MAIN).isEqualTo(io.pprocess.internal.child.ChildMain.class.getName());
    }

    @Test
    void namesTheClassPathAndHowToSetItWhenAChildCannotStart() {
        ChildClassPath.Paths paths = ChildClassPath.discover("/nowhere/app.jar", "", null);
        assertThat(Launcher.startFailure(paths))
                .contains("class path /nowhere/app.jar")
                .contains("PProcess.setClassPath", "-Dpprocess.classPath", "PPROCESS_CLASS_PATH")
                .contains("JVM options");
    }

    @Test
    void anAheadOfTimeCacheOptionReplacesTheClassDataSharingOptions() {
        ChildClassPath.Paths paths = ChildClassPath.discover("/opt/app.jar", "", null);
        List<String> before = Launcher.jvmOptions();
        try {
            Launcher.setJvmOptions(List.of("-XX:AOTCache=/tmp/app.aot"));
            List<String> command = Launcher.command(paths, List.of("-XX:SharedArchiveFile=/tmp/app.jsa"));
            assertThat(command).contains("-XX:AOTCache=/tmp/app.aot", "-XX:+UseSerialGC")
                    .noneMatch(o -> o.startsWith("-Xshare:") || o.startsWith("-XX:SharedArchiveFile"));
            Launcher.setJvmOptions(List.of());
            assertThat(Launcher.command(paths, List.of("-XX:SharedArchiveFile=/tmp/app.jsa")))
                    .contains("-Xshare:auto", "-XX:SharedArchiveFile=/tmp/app.jsa");
            // The library's own ahead-of-time options (Java 25's cache of the build) drop -Xshare too.
            assertThat(Launcher.command(paths, List.of("-XX:AOTCache=/tmp/build.aot", "-Xlog:aot*=off")))
                    .contains("-XX:AOTCache=/tmp/build.aot", "-Xlog:aot*=off", "-XX:+UseSerialGC")
                    .noneMatch(o -> o.startsWith("-Xshare:"));
        } finally {
            Launcher.setJvmOptions(before);
        }
    }

    @Test
    void childrenFromJava24AllowKryosUnsafeMemoryAccessUnlessTheUserSaysOtherwise() {
        assertThat(Launcher.releaseOptions(17, List.of())).isEmpty();
        assertThat(Launcher.releaseOptions(23, List.of())).isEmpty();
        assertThat(Launcher.releaseOptions(24, List.of())).containsExactly("--sun-misc-unsafe-memory-access=allow");
        assertThat(Launcher.releaseOptions(25, List.of("-Xmx1g"))).containsExactly("--sun-misc-unsafe-memory-access=allow");
        assertThat(Launcher.releaseOptions(25, List.of("--sun-misc-unsafe-memory-access=deny"))).isEmpty();
    }
}
