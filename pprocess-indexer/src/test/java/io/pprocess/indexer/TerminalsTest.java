package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/dev/pts/3, true",
        "/dev/tty, true",
        "/dev/tty1, true",
        "/dev/ttyS0, true",
        "/dev/console, true",
        "/dev/null, false",
        "'pipe:[81234]', false",
        "'socket:[81234]', false",
        "/home/someone/out.txt, false",
        "/dev/ttyfake/x, false",
    })
    void aDescriptorLinkedToATerminalDeviceIsATerminal(String target, boolean terminal) throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("2"), Path.of(target));
        assertThat(Terminals.linkedToTerminal(link)).isEqualTo(terminal);
    }

    @Test
    void aLinkThatCannotBeReadTellsNothing() {
        assertThat(Terminals.linkedToTerminal(dir.resolve("missing"))).isNull();
    }

    @Test
    void thisProcessesDescriptorsAreReadFromProc() {
        // The test JVM's standard streams are pipes or files, never a terminal, under Maven.
        assertThat(Terminals.linkedToTerminal(Path.of("/proc/self/fd/1"))).isFalse();
    }
}
