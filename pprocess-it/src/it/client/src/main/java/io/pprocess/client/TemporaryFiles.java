package io.pprocess.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Makes the runs' temporary directories, then checks that no run left anything of pprocess's there. */
public final class TemporaryFiles {
    private TemporaryFiles() {
    }

    /**
     * {@code make DIR...} or {@code check DIR...}.
     *
     * @param args the command and the directories
     * @throws IOException if a directory cannot be made or read
     */
    public static void main(String[] args) throws IOException {
        boolean failed = false;
        for (int i = 1; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            if (args[0].equals("make")) {
                Files.createDirectories(dir);
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> left = files.filter(p -> p.getFileName().toString().startsWith("pprocess-"))
                        .collect(Collectors.toList());
                if (!left.isEmpty()) {
                    System.err.println("pprocess client FAILED: left behind in " + dir + ": " + left);
                    failed = true;
                }
            }
        }
        if (failed) {
            System.exit(1);
        }
        System.out.println("pprocess client ok: no temporary files left in " + (args.length - 1) + " directories");
    }
}
