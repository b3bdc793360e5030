package io.pprocess.examples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the processes that hold UNIX-domain sockets bound in a directory, from Linux's
 * {@code /proc}: the sockets' inodes in {@code /proc/net/unix}, then the processes with a
 * descriptor {@code socket:[inode]}. Used to end background processes a failed test left.
 */
final class SocketOwners {

    private SocketOwners() {
    }

    /**
     * Lists the processes holding a socket bound at a path in {@code dir}.
     *
     * @param dir the directory
     * @return their process ids; empty where {@code /proc} is not available
     * @throws IOException if {@code /proc/net/unix} cannot be read
     */
    static Set<Long> of(Path dir) throws IOException {
        Path table = Path.of("/proc/net/unix");
        if (!Files.isReadable(table)) {
            return Set.of();
        }
        String prefix = dir.toAbsolutePath() + "/";
        Set<String> inodes = new HashSet<>();
        // Num RefCount Protocol Flags Type St Inode Path
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 8 && fields[7].startsWith(prefix)) {
                inodes.add("socket:[" + fields[6] + "]");
            }
        }
        Set<Long> owners = new HashSet<>();
        if (inodes.isEmpty()) {
            return owners;
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (holdsOneOf(process, inodes)) {
                    owners.add(Long.valueOf(process.getFileName().toString()));
                }
            }
        }
        return owners;
    }

    private static boolean holdsOneOf(Path process, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // The descriptor was closed meanwhile.
                }
            }
        } catch (IOException e) {
            // The process ended meanwhile, or is not ours to look at.
        }
        return false;
    }
}
