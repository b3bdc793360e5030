package io.pprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoresTest {

    private static List<String> cpuinfo(String[][] entries) {
        List<String> lines = new ArrayList<>();
        int processor = 0;
        for (String[] e : entries) {
            lines.add("processor\t: " + processor++);
            lines.add("model name\t: Test CPU");
            if (e[0] != null) {
                lines.add("physical id\t: " + e[0]);
            }
            if (e[1] != null) {
                lines.add("core id\t\t: " + e[1]);
            }
            lines.add("");
        }
        return lines;
    }

    @Test
    void hyperThreadsCountOnce() {
        assertThat(Cores.count(cpuinfo(new String[][] {{"0", "0"}, {"0", "1"}, {"0", "0"}, {"0", "1"}}))).isEqualTo(2);
    }

    @Test
    void socketsAreDistinguished() {
        assertThat(Cores.count(cpuinfo(new String[][] {{"0", "0"}, {"1", "0"}}))).isEqualTo(2);
    }

    @Test
    void missingPhysicalIdStillCountsCores() {
        assertThat(Cores.count(cpuinfo(new String[][] {{null, "0"}, {null, "1"}, {null, "1"}}))).isEqualTo(2);
    }

    @Test
    void noCoreFieldsCountsProcessors() {
        assertThat(Cores.count(cpuinfo(new String[][] {{null, null}, {null, null}, {null, null}}))).isEqualTo(3);
        assertThat(Cores.count(List.of())).isEqualTo(1);
    }
}
