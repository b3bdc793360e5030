package io.pprocess.indexer;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.tukaani.xz.XZInputStream;

/**
 * Reads one file and finds its words and the line of each occurrence; runs in the child.
 *
 * <p>Files are decoded as UTF-8; malformed bytes become U+FFFD and never stop the analysis.
 * Lines are counted from 1 and end at {@code '\n'}. A file compressed with gzip or xz (known by
 * its first bytes, whatever its name) is read decompressed, as {@code zcat} or {@code xzcat}
 * would show it; a file compressed with bzip2 or zstd is skipped with that reason. A file whose
 * first 8 KiB (after decompression) contain a NUL byte is taken for binary and skipped, as is
 * a file that cannot be read. Files named {@code *.html} or {@code *.htm} (any case, also with
 * {@code .gz} or {@code .xz} after it) are read as HTML. The bytes counted are those of the
 * file as stored. Not thread-safe: one per thread.
 */
final class FileAnalyzer implements AutoCloseable {
    /** How many leading bytes are searched for a NUL byte. */
    static final int SNIFF_BYTES = 8192;
    /** How many words one call of {@link #feed} handles at most. */
    private static final int CHUNK_TOKENS = 1024;

    /**
     * The largest file read whole into arrays (most source and text files); larger ones are read
     * as streams, so that the arrays stay small beside the index in a child's heap.
     */
    static final int ARRAY_LIMIT = 1 << 20;

    private final WordAnalyzer analyzer = new WordAnalyzer();
    private final int arrayLimit;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] bytes = new byte[1 << 16];
    private char[] chars = new char[1 << 16];
    private final ArrayReader arrayReader = new ArrayReader();
    private final LineTrackingReader lines = new LineTrackingReader(arrayReader);

    /** Creates an analyser that reads files of up to {@link #ARRAY_LIMIT} bytes whole. */
    FileAnalyzer() {
        this(ARRAY_LIMIT);
    }

    /**
     * Creates an analyser with another limit for files read whole (for tests).
     *
     * @param arrayLimit files up to this size are read whole into arrays, larger ones as streams
     */
    FileAnalyzer(int arrayLimit) {
        this.arrayLimit = arrayLimit;
    }

    /** Receives the words of a file as they are found. */
    @FunctionalInterface
    interface WordSink {
        /**
         * Takes one occurrence of a word.
         *
         * @param buffer the word's characters (valid only during the call)
         * @param length how many characters of {@code buffer} are the word
         * @param line the line number, from 1
         */
        void add(char[] buffer, int length, int line);
    }

    /**
     * The outcome for one file.
     *
     * @param bytes how many bytes were read
     * @param skipReason why the file was not indexed, or {@code null} if it was
     */
    record Result(long bytes, String skipReason) {
        static Result skipped(String reason) {
            return new Result(0, reason);
        }

        boolean isSkipped() {
            return skipReason != null;
        }
    }

    /**
     * Analyses one file, giving each word occurrence to {@code sink} in text order. When the
     * file turns out to be skipped, {@code sink} may have been given words of it already.
     *
     * @param file the file
     * @param sink receives the words
     * @return the bytes read, or why the file was skipped
     */
    Result analyze(Path file, WordSink sink) {
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE) {
                return Result.skipped("too large (" + size + " bytes; the limit is 2 GiB)");
            }
            if (size <= arrayLimit) {
                Result r = analyzeInArrays(file, size, sink);
                if (r != null) {
                    return r;
                }
            }
            return analyzeAsStream(file, sink);
        } catch (NoSuchFileException e) {
            return Result.skipped("cannot read: no such file");
        } catch (AccessDeniedException e) {
            return Result.skipped("cannot read: permission denied");
        } catch (IOException e) {
            return Result.skipped("cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            return Result.skipped("cannot analyse: " + e);
        }
    }

    /**
     * Reads a plain file of at most {@link #arrayLimit} bytes whole into this analyser's byte
     * array, decodes it into its char array and analyses it from there: nothing is allocated per
     * file but small objects, so a child's heap fills with its index rather than with read
     * buffers (in a child that lives a second or two, every young collection copies the index
     * gathered so far).
     *
     * @return the result, or {@code null} when the file is compressed or has grown beyond the
     *     limit since its size was read (it is then read as a stream)
     */
    private Result analyzeInArrays(Path file, long size, WordSink sink) throws IOException {
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            if (bytes.length < size) {
                bytes = new byte[(int) Math.min(arrayLimit, Math.max(size, 2L * bytes.length))];
            }
            while (true) {
                if (n == bytes.length) {
                    if (in.read() < 0) {
                        break;
                    }
                    return null;
                }
                int r = in.read(bytes, n, bytes.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (compressed(bytes, n)) {
            return null;
        }
        if (hasNul(bytes, Math.min(n, SNIFF_BYTES))) {
            return Result.skipped(BINARY);
        }
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        decoder.reset();
        CharBuffer out = CharBuffer.wrap(chars);
        ByteBuffer source = ByteBuffer.wrap(bytes, 0, n);
        CoderResult result = decoder.decode(source, out, true);
        if (!result.isUnderflow() || !decoder.flush(out).isUnderflow()) {
            throw new IllegalStateException("decoding " + n + " bytes into " + chars.length + " chars: " + result);
        }
        arrayReader.reset(chars, out.position());
        lines.reset(arrayReader);
        tokenize(file, lines, sink);
        return new Result(n, null);
    }

    /** Reads a file through a stream: any size, and compressed files. */
    private Result analyzeAsStream(Path file, WordSink sink) throws IOException {
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
             InputStream in = decompressed(new BufferedInputStream(counted, 1 << 16))) {
            if (in == null) {
                return Result.skipped(unsupported);
            }
            in.mark(SNIFF_BYTES);
            byte[] head = in.readNBytes(SNIFF_BYTES);
            if (hasNul(head, head.length)) {
                return Result.skipped(BINARY);
            }
            in.reset();
            CharsetDecoder streamDecoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            tokenize(file, new LineTrackingReader(new InputStreamReader(in, streamDecoder)), sink);
            return new Result(counted.count(), null);
        }
    }

    private void tokenize(Path file, LineTrackingReader reader, WordSink sink) throws IOException {
        try (TokenStream tokens = analyzer.tokenStream(isHtml(file) ? WordAnalyzer.HTML : WordAnalyzer.TEXT,
                reader)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = tokens.addAttribute(OffsetAttribute.class);
            tokens.reset();
            while (feed(tokens, term, offset, reader, sink)) {
                // Until the end of the file.
            }
            tokens.end();
        }
    }

    /** Whether the first bytes are those of a compressed file (gzip, xz, bzip2, zstd). */
    private static boolean compressed(byte[] head, int length) {
        byte[] magic = Arrays.copyOf(head, Math.min(length, 6));
        return starts(magic, 0x1f, 0x8b) || starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0) || starts(magic, 'B', 'Z', 'h')
                || starts(magic, 0x28, 0xb5, 0x2f, 0xfd);
    }

    /**
     * Gives the next {@link #CHUNK_TOKENS} words (or fewer, at the end) to the sink. The token
     * loop is cut into calls of this small method so that the JIT compiles it as a method,
     * once, rather than compiling the whole of {@link #analyze} with the loop and the tokenizer
     * inlined for on-stack replacement: in a child that lives a second or two, compilation is
     * a good part of the CPU time.
     *
     * @return whether there may be more words
     */
    private static boolean feed(TokenStream tokens, CharTermAttribute term, OffsetAttribute offset,
                                LineTrackingReader reader, WordSink sink) throws IOException {
        for (int i = 0; i < CHUNK_TOKENS; i++) {
            if (!tokens.incrementToken()) {
                return false;
            }
            sink.add(term.buffer(), term.length(), reader.lineOf(offset.startOffset()));
        }
        return true;
    }

    /** The skip reason of a binary file. */
    static final String BINARY = "binary file (NUL byte in the first 8 KiB)";

    private String unsupported;

    /**
     * Returns the text of a stream: the stream itself, or what it decompresses to when it starts
     * with the magic bytes of gzip or xz; {@code null} (with {@link #unsupported} set) for a
     * compression that is not read. The stream returned supports mark and reset.
     */
    private InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        InputStream text;
        if (starts(magic, 0x1f, 0x8b)) {
            text = new GZIPInputStream(in, 1 << 16);
        } else if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            text = new XZInputStream(in);
        } else if (starts(magic, 'B', 'Z', 'h')) {
            unsupported = "compressed with bzip2 (only gzip and xz are read)";
            return null;
        } else if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            unsupported = "compressed with zstd (only gzip and xz are read)";
            return null;
        } else {
            return in;
        }
        return new BufferedInputStream(new LimitedInputStream(text), 1 << 16);
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNul(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether a file is read as HTML.
     *
     * @param file the file
     * @return whether its name ends in {@code .html} or {@code .htm}, in any case, possibly
     *     followed by {@code .gz} or {@code .xz}
     */
    static boolean isHtml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz") || name.endsWith(".xz")) {
            name = name.substring(0, name.length() - 3);
        }
        return name.endsWith(".html") || name.endsWith(".htm");
    }

    @Override
    public void close() {
        analyzer.close();
    }

    /** Records where the lines start, so that a character offset can be turned into a line number. */
    static final class LineTrackingReader extends FilterReader {
        private int[] newlines = new int[256];
        private int count;
        private int position;
        private int cursor;

        LineTrackingReader(Reader in) {
            super(in);
        }

        /** Starts again on another reader, keeping the array of line starts. */
        void reset(Reader reader) {
            in = reader;
            count = 0;
            position = 0;
            cursor = 0;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                if (c == '\n') {
                    record(position);
                }
                position++;
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            for (int i = 0; i < n; i++) {
                if (buffer[off + i] == '\n') {
                    record(position + i);
                }
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            char[] scratch = new char[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void record(int offset) {
            if (count == newlines.length) {
                newlines = Arrays.copyOf(newlines, count * 2);
            }
            newlines[count++] = offset;
        }

        /**
         * Returns the line of a character already read.
         *
         * @param offset the character's offset from the start
         * @return its line number, from 1
         */
        int lineOf(int offset) {
            if (cursor > 0 && newlines[cursor - 1] >= offset) {
                int at = Arrays.binarySearch(newlines, 0, count, offset);
                cursor = at >= 0 ? at : -at - 1;
            }
            while (cursor < count && newlines[cursor] < offset) {
                cursor++;
            }
            return cursor + 1;
        }
    }

    /** Reads a char array again and again, one file's text after another's. */
    private static final class ArrayReader extends Reader {
        private char[] text = new char[0];
        private int length;
        private int at;

        void reset(char[] chars, int n) {
            text = chars;
            length = n;
            at = 0;
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            if (at >= length) {
                return -1;
            }
            int n = Math.min(len, length - at);
            System.arraycopy(text, at, buffer, off, n);
            at += n;
            return n;
        }

        @Override
        public int read() {
            return at < length ? text[at++] : -1;
        }

        @Override
        public void close() {
            // Nothing to release: the arrays are the analyser's.
        }
    }

    /** Ends decompressed text that would not fit the character offsets of the analysis. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long count;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                check(n);
            }
            return n;
        }

        private void check(int n) throws IOException {
            count += n;
            if (count > Integer.MAX_VALUE) {
                throw new IOException("too large when decompressed (the limit is 2 GiB)");
            }
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
