package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.indexer.Messages.Slice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FileListingTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private void files(int count, int bytesEach) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.write(dir.resolve(String.format("f%03d", i)), new byte[bytesEach]);
        }
    }

    @Test
    void listsRegularFilesSortedByRelativePath() throws IOException {
        TestCorpus.write(dir);
        Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("a.txt"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        Files.createSymbolicLink(dir.resolve("linkdir"), dir.resolve("sub"));
        FileListing flat = FileListing.list(dir, false, warnings::add);
        assertThat(flat.names()).containsExactly("a.txt", "b.txt", "binary.bin", "latin1.txt", "page.html");
        assertThat(flat.aliases()).containsExactly(List.of("link.txt"), List.of(), List.of(), List.of(), List.of());
        assertThat(flat.subdirectories()).isEqualTo(1);
        FileListing deep = FileListing.list(dir, true, warnings::add);
        assertThat(deep.names()).containsExactly("a.txt", "b.txt", "binary.bin", "latin1.txt",
                "page.html", "sub/deep.txt");
        assertThat(deep.subdirectories()).isZero();
        assertThat(deep.sizes()[0]).isEqualTo(Files.size(dir.resolve("a.txt")));
        assertThat(deep.files().get(5)).isEqualTo(dir.resolve("sub/deep.txt"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void listsAFileReachedOnlyThroughLinksOnceUnderTheFirstLinkName() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("real.txt"), "text");
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("m"), outside.resolve("real.txt"));
        Files.createSymbolicLink(tree.resolve("b"), Path.of("m"));
        Files.writeString(tree.resolve("own.txt"), "own");
        FileListing listing = FileListing.list(tree, false, warnings::add);
        assertThat(listing.names()).containsExactly("b", "own.txt");
        assertThat(listing.aliases()).containsExactly(List.of("m"), List.of());
        assertThat(listing.sizes()).containsExactly(4, 3);
        assertThat(listing.aliasedFiles()).isEqualTo(1);
    }

    @Test
    void failsForAMissingDirectory() {
        assertThatThrownBy(() -> FileListing.list(dir.resolve("none"), false, warnings::add))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void cutsFixedSlicesInFileOrder() throws IOException {
        files(7, 1);
        List<Slice> slices = FileListing.list(dir, false, warnings::add).slices(3, 250);
        assertThat(slices).extracting(Slice::index).containsExactly(0, 1, 2);
        assertThat(slices).extracting(Slice::firstFile).containsExactly(0, 3, 6);
        assertThat(slices).extracting(s -> s.paths().size()).containsExactly(3, 3, 1);
        assertThat(slices.get(2).paths()).containsExactly(dir.resolve("f006").toAbsolutePath().toString());
        assertThat(slices.get(0).delayMillis()).isEqualTo(250);
        assertThatThrownBy(() -> FileListing.list(dir, false, warnings::add).slices(0, 0))
                .hasMessage("slice < 1: 0");
    }
}
