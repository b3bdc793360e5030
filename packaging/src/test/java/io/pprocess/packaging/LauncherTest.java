package io.pprocess.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shell functions of the launchers ({@code src/deb/lib/launcher.sh}), run by
 * {@code /bin/sh} against fake Java installations: how a JVM's version is read, and the
 * messages when no Java 17+ is found. A fake {@code java} fails loudly if it is run for
 * anything but {@code -version}, so a launcher that runs an unsuitable JVM is caught. Running
 * a real program through the launchers needs the installed package: see
 * {@link PackageInstallIT}.
 */
class LauncherTest {

    private static final Path LAUNCHER = DebSources.file("lib/launcher.sh");

    @TempDir
    Path dir;

    /**
     * Makes a fake Java installation {@code dir/name}: a {@code bin/java} that prints
     * {@code versionLine} for {@code -version} and fails otherwise, and a {@code release}
     * file with JAVA_VERSION {@code releaseVersion} unless that is null.
     */
    private Path fakeJdk(String name, String releaseVersion, String versionLine) throws IOException {
        Path home = dir.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo '" + versionLine + "' >&2; exit 0; fi\n"
                + "echo 'fake java run with:' \"$@\" >&2\n"
                + "exit 97\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + releaseVersion
                    + "\"\nOS_NAME=\"Linux\"\n", StandardCharsets.US_ASCII);
        }
        return home;
    }

    /** Runs {@code script} in /bin/sh after sourcing the launcher functions, as program "pprocess-test". */
    private static Command shell(String script) {
        return Command.of("/bin/sh", "-c", ". \"$LAUNCHER\"; " + script, "pprocess-test")
                .env("LAUNCHER", LAUNCHER.toString())
                .timeout(Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "release {0}, -version {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "17.0.15 | none                                    | 17",
        "21-ea   | none                                    | 21",
        "25      | none                                    | 25",
        "1.8.0_392 | none                                  | 8",
        "none    | openjdk version \"11.0.22\" 2024-01-16  | 11",
        "none    | java version \"1.8.0_392\"              | 8",
        "none    | openjdk version \"25\" 2025-09-16       | 25",
        "none    | something else entirely                 | ''",
    })
    void readsTheFeatureReleaseFromReleaseFileOrVersionOutput(String release, String versionLine, String expected)
            throws Exception {
        Path home = fakeJdk("jdk", release, versionLine == null ? "no version here" : versionLine);
        Command.Result result = shell("pprocess_java_feature \"$JAVA\"")
                .env("JAVA", home.resolve("bin/java").toString())
                .run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isZero();
        assertThat(result.out()).isEqualTo(expected + "\n");
    }

    @Test
    void followsSymbolicLinksToTheInstallation() throws Exception {
        Path home = fakeJdk("jdk", "17.0.2", "none");
        Path link = Files.createDirectories(dir.resolve("alternatives")).resolve("java");
        Files.createSymbolicLink(link, home.resolve("bin/java"));
        Command.Result result = shell("pprocess_java_feature \"$JAVA\"").env("JAVA", link.toString()).run();
        assertThat(result.out()).as("%s", result.describe()).isEqualTo("17\n");
    }

    @Test
    void refusesAnOldJavaFromJavaHome() throws Exception {
        Path home = fakeJdk("jdk11", "11.0.22", "none");
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing '' a b")
                .env("JAVA_HOME", home.toString())
                .run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("pprocess-test: " + home.resolve("bin/java")
                + " is Java 11, but pprocess needs Java 17 or later; set JAVA_HOME to a Java 17 or later installation\n");
    }

    @Test
    void refusesAnOldJavaFromPath() throws Exception {
        Path home = fakeJdk("jdk8", null, "java version \"1.8.0_392\"");
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing ''")
                .unset("JAVA_HOME")
                .env("PATH", home.resolve("bin") + ":/usr/bin:/bin")
                .run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
        assertThat(result.err()).contains(home.resolve("bin/java") + " is Java 8, but pprocess needs Java 17 or later");
    }

    @Test
    void namesAJavaHomeWithoutJava() throws Exception {
        Path home = Files.createDirectories(dir.resolve("not-a-jdk"));
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing ''").env("JAVA_HOME", home.toString()).run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("pprocess-test: JAVA_HOME is " + home + ", but " + home.resolve("bin/java")
                + " is not an executable file; set JAVA_HOME to a Java 17 or later installation,"
                + " or unset it to use java from PATH\n");
    }

    @Test
    void saysSoWhenThereIsNoJavaAtAll() throws Exception {
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing ''")
                .unset("JAVA_HOME")
                .env("PATH", dir.resolve("empty").toString())
                .run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
        assertThat(result.err()).startsWith("pprocess-test: no Java runtime found: JAVA_HOME is not set and there is"
                + " no java on PATH; install one (apt-get install default-jre-headless)");
    }

    @Test
    void saysSoWhenTheVersionCannotBeTold() throws Exception {
        Path home = fakeJdk("odd", null, "a JVM of some kind");
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing ''").env("JAVA_HOME", home.toString()).run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("pprocess-test: cannot tell which Java version " + home.resolve("bin/java")
                + " is; pprocess needs Java 17 or later\n");
    }

    @Test
    void anEmptyJavaHomeCountsAsUnset() throws Exception {
        Path home = fakeJdk("jdk11", null, "openjdk version \"11.0.22\" 2024-01-16");
        Command.Result result = shell("pprocess_exec io.pprocess.Nothing ''")
                .env("JAVA_HOME", "")
                .env("PATH", home.resolve("bin") + ":/usr/bin:/bin")
                .run();
        assertThat(result.err()).as("%s", result.describe()).contains("is Java 11");
    }
}
