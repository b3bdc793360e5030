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

    /** The words of each file as analysed by {@code fa}, one after another with the same analyser. */
    private static List<String> wordsOf(FileAnalyzer fa, List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            StringBuilder sb = new StringBuilder();
            FileAnalyzer.Result r = fa.analyze(f, (buffer, length, line) ->
                    sb.append(new String(buffer, 0, length)).append('@').append(line).append(' '));
            out.add(f.getFileName() + " " + r + ": " + sb);
        }
        return out;
    }

    /**
     * Files read whole into the analyser's reused arrays give what the stream gives: the same
     * words and lines (also with malformed UTF-8, CR LF, HTML and a file after a larger one, whose
     * text must not leak into the next), and the same bytes and skips.
     */
    @Test
    void filesReadWholeGiveWhatTheStreamGives() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            big.append("Bigword").append(i % 97).append(i % 11 == 0 ? "\r\n" : " ");
        }
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve("big.txt"));
        TestCorpus.text(files.get(0), big.toString());
        files.add(dir.resolve("small.txt"));
        TestCorpus.text(files.get(1), "tail end\nÉpée naïve");
        files.add(dir.resolve("bad.txt"));
        Files.write(files.get(2), new byte[] {'a', 'b', ' ', (byte) 0xe2, (byte) 0x82, ' ', 'c', 'a', 'f', (byte) 0xc3,
            (byte) 0xa9, '\n', (byte) 0xff, 'x', 'y', '\n', 'z'});
        files.add(dir.resolve("page.html"));
        TestCorpus.text(files.get(3), "<p>Alpha &amp;\n<b>om</b>ega</p><!-- hidden -->\nlast");
        files.add(dir.resolve("empty.txt"));
        Files.write(files.get(4), new byte[0]);
        files.add(dir.resolve("nul.bin"));
        Files.write(files.get(5), new byte[] {'a', 0, 'b'});
        files.add(dir.resolve("again.txt"));
        TestCorpus.text(files.get(6), "one");
        List<String> streamed;
        List<String> whole;
        try (FileAnalyzer stream = new FileAnalyzer(-1); FileAnalyzer arrays = new FileAnalyzer()) {
            streamed = wordsOf(stream, files);
            whole = wordsOf(arrays, files);
        }
        assertThat(whole).isEqualTo(streamed);
        assertThat(whole.get(1)).endsWith("tail@1 end@1 epee@2 naive@2 ");
        assertThat(whole.get(6)).endsWith(": one@1 ");
        assertThat(whole.get(5)).contains(FileAnalyzer.BINARY);
    }

    /** A file larger than the limit for whole files is read as a stream, whole. */
    @Test
    void readsAFileLargerThanTheArrayLimitAsAStream() throws IOException {
        Path file = dir.resolve("t.txt");
        TestCorpus.text(file, "alpha beta\ngamma delta\nepsilon");
        try (FileAnalyzer small = new FileAnalyzer(8)) {
            List<String> out = wordsOf(small, List.of(file));
            assertThat(out.get(0)).endsWith("alpha@1 beta@1 gamma@2 delta@2 epsilon@3 ");
        }
    }
}
