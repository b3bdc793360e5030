package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children find the parent's code where it really is. Surefire runs this class once per
 * transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassPathContractTest {

    @TempDir
    Path dir;

    @Test
    void aTaskLoadedByTheContextClassLoaderRunsInTheChildAsUnderExecJava() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/cp"));
        Files.writeString(src.resolve("Square.java"), String.join("\n",
                "package cp;",
                "public class Square implements io.pprocess.ChannelTask {",
                "    public void run(io.pprocess.Channel c) {",
                "        int n = c.receive();",
                "        c.send(n * n);",
                "    }",
                "}"), StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.resolve("Square.java").toString());
        assertThat(status).isZero();

        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader project = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(project);
            ChannelTask task = (ChannelTask) project.loadClass("cp.Square").getConstructor().newInstance();
            assertThat(PProcess.classPath()).contains(classes.toString());
            try (Channel ch = PProcess.start(task)) {
                ch.send(7);
                assertThat((int) ch.receive()).isEqualTo(49);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void aChildThatCannotLoadTheTaskClassNamesItAndItsClassPath() {
        PProcess.setClassPath(dir.resolve("elsewhere").toString());
        try (Channel ch = PProcess.start(c -> c.send("ran"))) {
            assertThatThrownBy(ch::receive)
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("cannot load class " + ClassPathContractTest.class.getName())
                    .hasMessageContaining("class path " + dir.resolve("elsewhere"))
                    .hasMessageContaining("PProcess.setClassPath");
        } finally {
            PProcess.setClassPath(null);
        }
        assertThat(PProcess.classPath()).doesNotContain(dir.resolve("elsewhere").toString());
    }

    @Test
    void aBlankClassPathIsRefused() {
        assertThatThrownBy(() -> PProcess.setClassPath(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank class path");
    }
}
