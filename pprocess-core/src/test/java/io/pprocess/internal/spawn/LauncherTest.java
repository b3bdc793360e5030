package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void givesChildrenAClassPathThatDoesNotDependOnTheirWorkingDirectory() {
        String here = Path.of("").toAbsolutePath().toString();
        String sep = File.pathSeparator;
        assertThat(Launcher.absoluteClassPath("target/a.jar" + sep + "/opt/b.jar" + sep + sep + "classes"))
                .isEqualTo(here + "/target/a.jar" + sep + "/opt/b.jar" + sep + here + sep + here + "/classes");
        assertThat(Launcher.command(java.util.List.of())).contains(Launcher.absoluteClassPath(
                System.getProperty("java.class.path")));
    }
}
