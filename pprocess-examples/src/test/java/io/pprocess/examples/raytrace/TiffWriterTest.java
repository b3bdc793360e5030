package io.pprocess.examples.raytrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TiffWriterTest {

    /** Every pixel different: red from x, green from y, blue from both. */
    private static RgbImage pattern(int width, int height) {
        RgbImage image = new RgbImage(width, height);
        for (int y = 0; y < height; y++) {
            int[] row = new int[width];
            for (int x = 0; x < width; x++) {
                row[x] = (x * 7 & 0xFF) << 16 | (y * 13 & 0xFF) << 8 | ((x + y) * 31 & 0xFF);
            }
            image.setRow(y, row);
        }
        return image;
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1, 1", "5, 3", "100, 100", "3000, 5", "300, 200"})
    void imageIoReadsBackEveryPixel(int width, int height) throws IOException {
        RgbImage image = pattern(width, height);

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(TiffWriter.encode(image)));

        assertThat(read).as("ImageIO found a TIFF reader and decoded the file").isNotNull();
        assertThat(read.getWidth()).isEqualTo(width);
        assertThat(read.getHeight()).isEqualTo(height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                assertThat(read.getRGB(x, y) & 0xFFFFFF).as("pixel (%d, %d)", x, y).isEqualTo(image.rgb(x, y));
            }
        }
    }

    @Test
    void directoryHoldsTheBaselineTagsInAscendingOrder() {
        byte[] file = TiffWriter.encode(pattern(300, 200));
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(file, 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("II");
        assertThat(buf.getShort(2)).isEqualTo((short) 42);
        int ifd = buf.getInt(4);
        Map<Integer, long[]> tags = readDirectory(buf, ifd);

        assertThat(tags.keySet()).containsExactly(256, 257, 258, 259, 262, 273, 277, 278, 279, 282, 283, 284, 296);
        assertThat(tags.get(256)).containsExactly(300);
        assertThat(tags.get(257)).containsExactly(200);
        assertThat(tags.get(258)).containsExactly(8, 8, 8);
        assertThat(tags.get(259)).containsExactly(1);
        assertThat(tags.get(262)).containsExactly(2);
        assertThat(tags.get(277)).containsExactly(3);
        assertThat(tags.get(284)).containsExactly(1);
        assertThat(tags.get(282)).containsExactly(72, 1);
        assertThat(tags.get(283)).containsExactly(72, 1);
        assertThat(tags.get(296)).containsExactly(2);
        long rowsPerStrip = tags.get(278)[0];
        long[] offsets = tags.get(273);
        long[] counts = tags.get(279);
        assertThat(offsets).hasSize((int) ((200 + rowsPerStrip - 1) / rowsPerStrip));
        assertThat(counts).hasSameSizeAs(offsets);
        long total = 0;
        for (int s = 0; s < offsets.length; s++) {
            assertThat(offsets[s]).as("strip %d starts on a word boundary", s).isEven();
            total += counts[s];
        }
        assertThat(total).isEqualTo(300 * 200 * 3);
        assertThat(offsets[offsets.length - 1] + counts[counts.length - 1]).isEqualTo(file.length);
    }

    @Test
    void equalImagesGiveIdenticalBytes() {
        assertThat(TiffWriter.encode(pattern(40, 30))).isEqualTo(TiffWriter.encode(pattern(40, 30)));
    }

    @Test
    void writingAFileReplacesItAndLeavesNothingElse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("test.tif");
        Files.writeString(file, "old contents");

        TiffWriter.write(pattern(6, 4), file);

        assertThat(Files.readAllBytes(file)).isEqualTo(TiffWriter.encode(pattern(6, 4)));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /** Reads an IFD into tag → values (a RATIONAL gives numerator and denominator). */
    private static Map<Integer, long[]> readDirectory(ByteBuffer buf, int offset) {
        Map<Integer, long[]> tags = new TreeMap<>();
        int entries = buf.getShort(offset) & 0xFFFF;
        int previous = -1;
        for (int e = 0; e < entries; e++) {
            int at = offset + 2 + 12 * e;
            int tag = buf.getShort(at) & 0xFFFF;
            assertThat(tag).as("tags ascend").isGreaterThan(previous);
            previous = tag;
            int type = buf.getShort(at + 2);
            int count = buf.getInt(at + 4);
            int size = switch (type) {
                case 3 -> 2;
                case 4 -> 4;
                case 5 -> 8;
                default -> throw new AssertionError("unexpected type " + type + " of tag " + tag);
            };
            int values = size * count <= 4 ? at + 8 : buf.getInt(at + 8);
            long[] out = new long[type == 5 ? 2 * count : count];
            for (int i = 0; i < out.length; i++) {
                out[i] = type == 3 ? buf.getShort(values + 2 * i) & 0xFFFF : buf.getInt(values + 4 * i) & 0xFFFFFFFFL;
            }
            tags.put(tag, out);
        }
        assertThat(buf.getInt(offset + 2 + 12 * entries)).as("no further directory").isZero();
        return tags;
    }

    /** This process's umask, from /proc/self/status (Linux 4.7 and later). */
    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        throw new org.opentest4j.TestAbortedException("no Umask line in /proc/self/status");
    }

    @Test
    void writesTheFileWithTheModeTheUmaskGivesAndLeavesNoTemporaryFile(@TempDir Path dir)
            throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(
                Path.of("/proc/self/status")), "needs /proc/self/status");
        int umask = umask();
        Path file = dir.resolve("test.tif");
        TiffWriter.write(new RgbImage(3, 2), file);
        TiffWriter.write(new RgbImage(3, 2), file);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        int bits = 0;
        for (java.nio.file.attribute.PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        assertThat(Integer.toOctalString(bits)).as("mode under umask %s", Integer.toOctalString(umask))
                .isEqualTo(Integer.toOctalString(0666 & ~umask));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("test.tif");
        }
    }
}
