package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The library on the module path, as a modular application uses it: the module
 * {@code io.pprocess.modcheck} ({@code src/test/modules}) is compiled against this build's jar
 * and run with {@code java --module-path <its classes>:<this jar>:<the dependencies> -m ...}, on
 * each transport. Its children must find the application's module and pprocess as modules for
 * {@code start}/{@code receive}, {@code pmap} and the executor to answer; a value, a task and a
 * function of a package the module opens to nobody must each fail at the call with an error
 * that names the class, the module and the {@code opens} line to add. The run must leave no
 * temporary directory behind.
 *
 * <p>The rest of the suite runs on the class path (children load the test classes from it);
 * this test and the client project of {@code pprocess-it} are the module path's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathIT {
    private static final Path WORK = Path.of("target", "module-path-it").toAbsolutePath();
    private static String modulePath;

    @BeforeAll
    static void compileTheModule() throws IOException {
        Path jar = Path.of(System.getProperty("pprocess.it.coreJar", "target/pprocess-core.jar")).toAbsolutePath();
        assertThat(jar).as("this build's jar (made in the package phase)").isRegularFile();
        String dependencies = Files.readString(Path.of(System.getProperty("pprocess.it.classPathFile",
                "target/classpath.txt"))).strip();
        Path sources = Path.of("src", "test", "modules", "io.pprocess.modcheck");
        Path classes = WORK.resolve("classes");
        deleteTree(WORK);
        Files.createDirectories(classes);
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).collect(Collectors.toList());
        }
        String libraries = jar + File.pathSeparator + dependencies;
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "--module-path", libraries));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, args.toArray(String[]::new));
        assertThat(status).as("javac: %s", messages.toString(StandardCharsets.UTF_8)).isZero();
        modulePath = classes + File.pathSeparator + libraries;
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "pipe"})
    void aModularApplicationRunsStartPmapAndTheExecutor(String transport) throws Exception {
        // The application's java.io.tmpdir, short (a socket's path has at most 107 bytes) and its own
        // (to check that the run leaves nothing in it).
        Path tmp = Files.createTempDirectory("pp-module-");
        try {
            Path log = WORK.resolve("out-" + transport + ".txt");
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> cmd = List.of(java, "-Djava.io.tmpdir=" + tmp, "-Dpprocess.transport=" + transport,
                    "--module-path", modulePath, "-m", "io.pprocess.modcheck/io.pprocess.modcheck.ModCheck");
            Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = app.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                app.descendants().forEach(ProcessHandle::destroyForcibly);
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the application ended within 90 s: %s", out).isTrue();
            assertThat(app.exitValue()).as(out).isZero();
            assertThat(out).contains("start ok", "pmap ok", "executor ok");
            String opens = "add \"opens io.pprocess.modcheck.sealed to io.pprocess, com.esotericsoftware.kryo;\" to its"
                    + " module-info.java";
            for (String what : List.of("unopened: ", "unopened task: ", "unopened function: ")) {
                String line = out.lines().filter(l -> l.startsWith(what)).findFirst()
                        .orElse("(no '" + what + "' line)");
                assertThat(line).as(out).contains("io.pprocess.modcheck.sealed.Unopened",
                        "module io.pprocess.modcheck does not open package io.pprocess.modcheck.sealed", opens);
            }
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(Path::toString)).as("left in java.io.tmpdir").isEmpty();
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
