package io.pprocess.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Counts cores: physical ones from {@code /proc/cpuinfo}, and the ones this JVM may use. */
public final class Cores {
    private static volatile int physical;

    private Cores() {
    }

    /** @return the processors the JVM may use (affinity and cgroup quota applied) */
    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** @return the number of distinct physical cores, or the available count if unknown */
    public static int physical() {
        int p = physical;
        if (p == 0) {
            p = count(Path.of("/proc/cpuinfo"));
            physical = p;
        }
        return p;
    }

    /**
     * Counts distinct cores in a cpuinfo file: distinct (physical id, core id) pairs when those
     * fields exist, else one per processor entry.
     *
     * @param cpuinfo the file
     * @return at least 1
     */
    public static int count(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return Math.max(1, available());
        }
        return count(lines);
    }

    /**
     * Counts distinct cores in the lines of a cpuinfo file.
     *
     * @param lines the lines
     * @return at least 1
     */
    public static int count(List<String> lines) {
        Set<String> cores = new HashSet<>();
        int processors = 0;
        String physicalId = null;
        String coreId = null;
        boolean inEntry = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (line.isBlank()) {
                if (inEntry) {
                    cores.add(key(physicalId, coreId, processors));
                }
                inEntry = false;
                physicalId = null;
                coreId = null;
                continue;
            }
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "processor":
                    if (inEntry) {
                        cores.add(key(physicalId, coreId, processors));
                        physicalId = null;
                        coreId = null;
                    }
                    processors++;
                    inEntry = true;
                    break;
                case "physical id":
                    physicalId = value;
                    break;
                case "core id":
                    coreId = value;
                    break;
                default:
                    break;
            }
        }
        if (inEntry) {
            cores.add(key(physicalId, coreId, processors));
        }
        return Math.max(1, cores.size());
    }

    private static String key(String physicalId, String coreId, int processor) {
        if (coreId == null) {
            return "processor " + processor;
        }
        return (physicalId == null ? "0" : physicalId) + "/" + coreId;
    }
}
