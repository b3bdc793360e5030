package io.pprocess.examples.raytrace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@link RgbImage}s as baseline TIFF files: little-endian, uncompressed, 8 bits per
 * sample, three samples per pixel (RGB, chunky), in strips of about 8 KiB, 72 pixels per inch.
 *
 * <p>The output depends only on the image, so equal images give byte-identical files.
 * The layout is: the 8-byte header, one image file directory (IFD), the values too large for
 * an IFD entry, then the pixel strips.
 */
public final class TiffWriter {

    private static final short TYPE_SHORT = 3;
    private static final short TYPE_LONG = 4;
    private static final short TYPE_RATIONAL = 5;

    private static final int TAG_IMAGE_WIDTH = 256;
    private static final int TAG_IMAGE_LENGTH = 257;
    private static final int TAG_BITS_PER_SAMPLE = 258;
    private static final int TAG_COMPRESSION = 259;
    private static final int TAG_PHOTOMETRIC = 262;
    private static final int TAG_STRIP_OFFSETS = 273;
    private static final int TAG_SAMPLES_PER_PIXEL = 277;
    private static final int TAG_ROWS_PER_STRIP = 278;
    private static final int TAG_STRIP_BYTE_COUNTS = 279;
    private static final int TAG_X_RESOLUTION = 282;
    private static final int TAG_Y_RESOLUTION = 283;
    private static final int TAG_PLANAR_CONFIGURATION = 284;
    private static final int TAG_RESOLUTION_UNIT = 296;

    private static final int ENTRIES = 13;
    private static final int HEADER_BYTES = 8;
    private static final int IFD_BYTES = 2 + ENTRIES * 12 + 4;
    private static final int STRIP_TARGET_BYTES = 8192;
    private static final int PIXELS_PER_INCH = 72;

    private TiffWriter() {
    }

    /**
     * Writes an image to a file, replacing it: the bytes go to a temporary file in the same
     * directory that is then moved into place. The file is created with the mode the user's
     * umask gives a new file (0644 under umask 022), as a file written by any tool.
     *
     * @param image the image
     * @param file the file to write
     * @throws IOException if the file cannot be written
     */
    public static void write(RgbImage image, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        // Not Files.createTempFile: its files are mode 0600 whatever the umask.
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36) + ".part");
        try {
            Files.write(temporary, encode(image), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes an image to a stream.
     *
     * @param image the image
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public static void write(RgbImage image, OutputStream out) throws IOException {
        out.write(encode(image));
    }

    /**
     * Encodes an image as the bytes of a TIFF file.
     *
     * @param image the image
     * @return the file's bytes
     */
    public static byte[] encode(RgbImage image) {
        int width = image.width();
        int height = image.height();
        int rowBytes = width * 3;
        int rowsPerStrip = Math.max(1, Math.min(height, STRIP_TARGET_BYTES / rowBytes));
        int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        byte[] pixels = image.toRgbBytes();

        // values that do not fit in a 4-byte entry, each at an even offset after the IFD
        int bitsOffset = HEADER_BYTES + IFD_BYTES;
        int xResOffset = bitsOffset + 6;
        int yResOffset = xResOffset + 8;
        int stripOffsetsOffset = yResOffset + 8;
        int stripCountsOffset = stripOffsetsOffset + (strips > 1 ? 4 * strips : 0);
        int dataOffset = stripCountsOffset + (strips > 1 ? 4 * strips : 0);

        ByteBuffer buf = ByteBuffer.allocate(dataOffset + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(HEADER_BYTES);

        buf.putShort((short) ENTRIES);
        entry(buf, TAG_IMAGE_WIDTH, TYPE_LONG, 1, width);
        entry(buf, TAG_IMAGE_LENGTH, TYPE_LONG, 1, height);
        entry(buf, TAG_BITS_PER_SAMPLE, TYPE_SHORT, 3, bitsOffset);
        shortEntry(buf, TAG_COMPRESSION, 1);
        shortEntry(buf, TAG_PHOTOMETRIC, 2);
        entry(buf, TAG_STRIP_OFFSETS, TYPE_LONG, strips, strips > 1 ? stripOffsetsOffset : dataOffset);
        shortEntry(buf, TAG_SAMPLES_PER_PIXEL, 3);
        entry(buf, TAG_ROWS_PER_STRIP, TYPE_LONG, 1, rowsPerStrip);
        entry(buf, TAG_STRIP_BYTE_COUNTS, TYPE_LONG, strips, strips > 1 ? stripCountsOffset : pixels.length);
        entry(buf, TAG_X_RESOLUTION, TYPE_RATIONAL, 1, xResOffset);
        entry(buf, TAG_Y_RESOLUTION, TYPE_RATIONAL, 1, yResOffset);
        shortEntry(buf, TAG_PLANAR_CONFIGURATION, 1);
        shortEntry(buf, TAG_RESOLUTION_UNIT, 2);
        buf.putInt(0);

        buf.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        buf.putInt(PIXELS_PER_INCH).putInt(1);
        buf.putInt(PIXELS_PER_INCH).putInt(1);
        if (strips > 1) {
            for (int s = 0; s < strips; s++) {
                buf.putInt(dataOffset + s * rowsPerStrip * rowBytes);
            }
            for (int s = 0; s < strips; s++) {
                int rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
                buf.putInt(rows * rowBytes);
            }
        }
        buf.put(pixels);
        return buf.array();
    }

    private static void entry(ByteBuffer buf, int tag, short type, int count, int value) {
        buf.putShort((short) tag).putShort(type).putInt(count).putInt(value);
    }

    /** A SHORT value sits in the first two bytes of the value field, the rest padded with 0. */
    private static void shortEntry(ByteBuffer buf, int tag, int value) {
        buf.putShort((short) tag).putShort(TYPE_SHORT).putInt(1).putShort((short) value).putShort((short) 0);
    }
}
