package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    private static final long NOW = 1_800_000_000_000L;

    private static void file(Path dir, String name, long ageMillis) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "x");
        Files.setLastModifiedTime(p, FileTime.fromMillis(NOW - ageMillis));
    }

    private static java.util.Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void pruningKeepsTheMostRecentlyUsedArchivesAndFreshRecordings(@TempDir Path dir) throws IOException {
        int archives = ClassDataSharing.MAX_ARCHIVES + 3;
        for (int i = 0; i < archives; i++) {
            file(dir, "a" + i + ".jsa", i * 60_000L);
        }
        file(dir, "old.1.2.tmp", 2 * 3_600_000L);
        file(dir, "fresh.1.2.tmp", 60_000L);
        file(dir, "unrelated.txt", 10 * 3_600_000L);

        ClassDataSharing.prune(dir, NOW);

        java.util.Set<String> left = names(dir);
        for (int i = 0; i < archives; i++) {
            assertThat(left.contains("a" + i + ".jsa")).as("archive a%d", i).isEqualTo(i < ClassDataSharing.MAX_ARCHIVES);
        }
        assertThat(left).contains("fresh.1.2.tmp", "unrelated.txt").doesNotContain("old.1.2.tmp");
    }

    @Test
    void pruningAnEmptyOrMissingDirectoryDoesNothing(@TempDir Path dir) throws IOException {
        ClassDataSharing.prune(dir, NOW);
        assertThat(names(dir)).isEmpty();
        ClassDataSharing.prune(dir.resolve("missing"), NOW);
    }
}
