package io.pprocess.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.cluster.ClusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
    @TempDir
    Path dir;

    private Path file(String content, String mode) throws Exception {
        Path f = dir.resolve("s-" + mode);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aFileOfTheOwnerOnlyGivesTheSecretWithoutItsLineEnd() throws Exception {
        Secret a = Secret.read(file("0123456789abcdef-secret\n", "rw-------"));
        Secret b = Secret.read(file("0123456789abcdef-secret", "r--------"));
        byte[] fn = {1, 2, 3};
        assertThat(Auth.job(a, "c", "j", List.of(), fn)).isEqualTo(Auth.job(b, "c", "j", List.of(), fn));
    }

    @Test
    void aFileOpenToTheGroupOrOthersIsRefusedWithItsMode() throws Exception {
        Path group = file("0123456789abcdef-secret", "rw-r-----");
        assertThatThrownBy(() -> Secret.read(group)).isInstanceOf(ClusterException.class)
                .hasMessage("the secret file " + group + " is open to others (mode 0640); make it readable by its owner only: chmod 600 " + group);
        Path others = file("0123456789abcdef-secret", "rw----r--");
        assertThatThrownBy(() -> Secret.read(others)).hasMessageContaining("(mode 0604)");
    }

    @Test
    void aShortSecretAMissingFileAndADirectoryAreRefused() throws Exception {
        assertThatThrownBy(() -> Secret.read(file("short\n", "rw-------")))
                .hasMessageContaining("is too short: 5 bytes, at least 16");
        assertThatThrownBy(() -> Secret.read(dir.resolve("missing"))).hasMessageContaining("cannot read the secret file");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> Secret.read(sub)).hasMessageContaining("is not a regular file");
    }

    @Test
    void aLinkToTheSecretIsRefused() throws Exception {
        Path target = file("0123456789abcdef-secret", "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> Secret.read(link)).hasMessageContaining("is not a regular file");
    }
}
