package io.pprocess.indexer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small corpus whose words and line numbers are known, shared by the tests. */
final class TestCorpus {
    /** The answer to {@code alp} over {@link #write} (not recursive). */
    static final String ALP = String.join("\n",
            "alpha",
            "  a.txt: 1 3",
            "  b.txt: 2",
            "  latin1.txt: 2",
            "  page.html: 4",
            "alphabet",
            "  a.txt: 3",
            "2 words on 5 lines in 4 files",
            "");

    private TestCorpus() {
    }

    /**
     * Writes the corpus: three text files (one with bytes that are not UTF-8), one HTML page,
     * one binary file, and {@code sub/deep.txt} (found only with --recursive).
     *
     * @param dir an empty directory
     * @return {@code dir}
     * @throws IOException if writing fails
     */
    static Path write(Path dir) throws IOException {
        text(dir.resolve("a.txt"), "Alpha beta\ngamma\nbeta alpha alphabet\nÉpée CAFÉ naïve\n");
        text(dir.resolve("b.txt"), "nothing here\r\nalpha\r\n");
        Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k', '\n',
            'a', 'l', 'p', 'h', 'a', '\n', (byte) 0xFF, (byte) 0xFE, 'z', 'e', 't', 'a', '\n'});
        text(dir.resolve("page.html"), String.join("\n",
                "<html><head><title>Greeting Page</title>",
                "<script>var hiddenscript = 1;</script></head>",
                "<body class=\"hiddenattr\">",
                "<p>Alpha &amp; <b>omega</b></p><!-- hiddencomment -->",
                "</body></html>",
                ""));
        Files.write(dir.resolve("binary.bin"), new byte[] {'a', 'l', 'p', 'h', 'a', 0, 1, 2, 'a', 'l', 'p'});
        Files.createDirectories(dir.resolve("sub"));
        text(dir.resolve("sub/deep.txt"), "\n\nalpha deep\n");
        return dir;
    }

    static void text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
