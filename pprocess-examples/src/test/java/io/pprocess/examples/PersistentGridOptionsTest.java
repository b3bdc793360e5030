package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PersistentGridOptionsTest {

    @TempDir
    Path temp;

    private static PersistentGridOptions parsed(String... args) {
        PersistentGridOptions options = new PersistentGridOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void parsesTheGridOptionsTheModeAndTheDirectory() {
        PersistentGridOptions options = parsed("--n", "3", "--delay", "0.5", "--limit", "2", "--start",
                "--dir", temp.resolve("s").toString());
        options.check();

        assertThat(options.work()).isEqualTo(new GridWork(3, 500_000_000L));
        assertThat(options.limit()).isEqualTo(2);
        assertThat(options.starts()).isTrue();
        assertThat(options.collects()).isFalse();
        assertThat(options.dir()).isEqualTo(temp.resolve("s"));
        assertThat(options.reconnectCommand("simple_persistent_queue"))
                .isEqualTo("bin/pprocess-example simple_persistent_queue --reconnect --n 3 --dir " + temp.resolve("s"));
    }

    @Test
    void withoutAModeStartsAndCollects() {
        PersistentGridOptions options = parsed("--dir", temp.toString());
        options.check();

        assertThat(options.starts()).isTrue();
        assertThat(options.collects()).isTrue();
        assertThat(parsed("--reconnect", "--dir", temp.toString()).starts()).isFalse();
    }

    @Test
    void theDefaultDirectoryIsPrivateToTheUserUnderTheTemporaryDirectory() {
        assertThat(new PersistentGridOptions().dir).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "pprocess-examples-" + System.getProperty("user.name")));
    }

    @Test
    void createsAMissingDirectoryWithMode0700() throws Exception {
        Path dir = temp.resolve("a").resolve("b");
        parsed("--dir", dir.toString()).check();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void refusesADirectoryOthersCanWriteTo() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));

        assertThatThrownBy(() -> parsed("--dir", dir.toString()).check()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--dir must not be writable by others (mode rwxrwxr-x): " + dir);
    }

    @Test
    void refusesAFile() throws Exception {
        Path file = Files.createFile(temp.resolve("file"));

        assertThatThrownBy(() -> parsed("--dir", file.toString()).check()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--dir is not a directory: " + file);
    }

    @Test
    void refusesBothModesAndBadGridValues() {
        assertThatThrownBy(() -> parsed("--start", "--reconnect", "--dir", temp.toString()).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--start and --reconnect exclude each other; give neither to do both");
        assertThatThrownBy(() -> parsed("--n", "0", "--dir", temp.toString()).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--n must be at least 1: 0");
    }
}
