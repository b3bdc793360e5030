package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FileAnalyzerTest {
    @TempDir
    Path dir;

    private final FileAnalyzer analyzer = new FileAnalyzer();
    private final Map<String, List<Integer>> words = new LinkedHashMap<>();

    @AfterEach
    void close() {
        analyzer.close();
    }

    private FileAnalyzer.Result analyze(Path file) {
        words.clear();
        return analyzer.analyze(file, (buffer, length, line) ->
                words.computeIfAbsent(new String(buffer, 0, length), w -> new ArrayList<>()).add(line));
    }

    private FileAnalyzer.Result analyze(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        TestCorpus.text(file, content);
        return analyze(file);
    }

    @Test
    void findsWordsWithTheirLinesInTextOrder() throws IOException {
        FileAnalyzer.Result r = analyze("t.txt", "One two\n\nthree, one! TWO-two\nlast");
        assertThat(r.isSkipped()).isFalse();
        assertThat(r.bytes()).isEqualTo(33);
        assertThat(words).containsExactly(
                Map.entry("one", List.of(1, 3)),
                Map.entry("two", List.of(1, 3, 3)),
                Map.entry("three", List.of(3)),
                Map.entry("last", List.of(4)));
    }

    @Test
    void foldsCaseAndAccents() throws IOException {
        analyze("t.txt", "Épée CAFÉ naïve Straße Ångström");
        assertThat(words.keySet()).containsExactly("epee", "cafe", "naive", "strasse", "angstrom");
    }

    @Test
    void countsCrLfLinesLikeLfLines() throws IOException {
        analyze("t.txt", "a\r\nb\r\n\r\nc");
        assertThat(words).containsExactly(Map.entry("a", List.of(1)), Map.entry("b", List.of(2)),
                Map.entry("c", List.of(4)));
    }

    @Test
    void indexesTheTextOfHtmlButNotItsMarkUp() throws IOException {
        analyze("p.HTM", String.join("\n",
                "<html><head><title>Greeting</title>",
                "<script>var hiddenscript = 1;</script><style>p { hiddenstyle: 0 }</style>",
                "<body class=\"hiddenattr\">",
                "<p>Alpha &amp; <b>om</b>ega &eacute;t&eacute;</p><!-- hiddencomment -->",
                "</body></html>"));
        assertThat(words).containsExactly(
                Map.entry("greeting", List.of(1)),
                Map.entry("alpha", List.of(4)),
                Map.entry("omega", List.of(4)),
                Map.entry("ete", List.of(4)));
    }

    @Test
    void readsOtherExtensionsAsPlainText() throws IOException {
        analyze("p.txt", "<b>bold</b>");
        assertThat(words.keySet()).containsExactly("b", "bold");
    }

    @Test
    void replacesMalformedUtf8AndGoesOn() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n', (byte) 0xC3, '\n', 'o', 'k', '\n'});
        FileAnalyzer.Result r = analyze(file);
        assertThat(r.isSkipped()).isFalse();
        assertThat(r.bytes()).isEqualTo(10);
        assertThat(words).containsExactly(Map.entry("caf", List.of(1)), Map.entry("ok", List.of(3)));
    }

    @Test
    void skipsAFileWithANulByteInItsFirst8KiB() throws IOException {
        Path file = dir.resolve("data");
        byte[] bytes = new byte[FileAnalyzer.SNIFF_BYTES];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[FileAnalyzer.SNIFF_BYTES - 1] = 0;
        Files.write(file, bytes);
        FileAnalyzer.Result r = analyze(file);
        assertThat(r.skipReason()).isEqualTo("binary file (NUL byte in the first 8 KiB)");
        assertThat(words).isEmpty();
    }

    @Test
    void readsAFileWhoseNulByteComesAfter8KiB() throws IOException {
        Path file = dir.resolve("data");
        byte[] bytes = new byte[FileAnalyzer.SNIFF_BYTES + 4];
        java.util.Arrays.fill(bytes, (byte) ' ');
        bytes[0] = 'x';
        bytes[FileAnalyzer.SNIFF_BYTES] = 0;
        bytes[FileAnalyzer.SNIFF_BYTES + 1] = 'y';
        Files.write(file, bytes);
        assertThat(analyze(file).isSkipped()).isFalse();
        assertThat(words.keySet()).containsExactly("x", "y");
    }

    @Test
    void skipsAFileThatCannotBeRead() {
        FileAnalyzer.Result r = analyze(dir.resolve("gone.txt"));
        assertThat(r.skipReason()).isEqualTo("cannot read: no such file");
    }

    @Test
    void skipsAFileWithoutReadPermission() throws IOException {
        Path file = dir.resolve("secret.txt");
        TestCorpus.text(file, "hidden words");
        Files.setPosixFilePermissions(file, java.util.Set.of());
        assumeFalse(Files.isReadable(file), "permissions do not apply to this user (root)");
        assertThat(analyze(file).skipReason()).isEqualTo("cannot read: permission denied");
        assertThat(words).isEmpty();
    }

    @Test
    void handlesAnEmptyFile() throws IOException {
        FileAnalyzer.Result r = analyze("empty.txt", "");
        assertThat(r.isSkipped()).isFalse();
        assertThat(r.bytes()).isZero();
        assertThat(words).isEmpty();
    }

    @Test
    void countsLinesAcrossReaderBuffers() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            sb.append("w").append(i % 7).append(i == 17_123 ? " needle" : "").append('\n');
        }
        analyze("long.txt", sb.toString());
        assertThat(words.get("needle")).containsExactly(17_123);
        assertThat(words.get("w3")).hasSize((20_000 - 3) / 7 + 1).startsWith(3, 10);
    }

    @Test
    void normalisesAQueryPrefixLikeIndexedWords() {
        WordAnalyzer wa = new WordAnalyzer();
        assertThat(wa.normalizePrefix("ÉPÉ")).isEqualTo("epe");
        assertThat(wa.normalizePrefix("can't st")).isEqualTo("can't st");
        assertThat(wa.normalizePrefix("")).isEmpty();
        wa.close();
    }
}
