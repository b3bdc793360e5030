package io.pprocess.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the sources of the package are: {@code src/deb} of this module. */
final class DebSources {

    private DebSources() {
    }

    /** @return the directory {@code src/deb}, from the system property {@code deb.sources} */
    static Path root() {
        Path root = Path.of(System.getProperty("deb.sources", "src/deb")).toAbsolutePath();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("package sources not found at " + root + "; set -Ddeb.sources");
        }
        return root;
    }

    /**
     * @param relative a path under {@code src/deb}
     * @return that file
     */
    static Path file(String relative) {
        return root().resolve(relative);
    }
}
