package io.pprocess.examples.raytrace;

import java.util.Arrays;

/** A mutable picture of 8-bit RGB pixels, filled row by row. */
public final class RgbImage {

    private final int width;
    private final int height;
    private final int[] pixels;

    /**
     * Creates a black image.
     *
     * @param width the width in pixels, positive
     * @param height the height in pixels, positive
     * @throws IllegalArgumentException if a size is not positive or the image is too large
     */
    public RgbImage(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("image size must be positive and at most "
                    + Integer.MAX_VALUE / 3 + " pixels: " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = new int[width * height];
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /**
     * Replaces one row.
     *
     * @param y the row, 0 at the top
     * @param row {@link #width()} pixels, each {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if {@code y} is not a row of the image
     * @throws IllegalArgumentException if {@code row} has the wrong length
     */
    public void setRow(int y, int[] row) {
        if (y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("row " + y + " is outside the image (height " + height + ")");
        }
        if (row.length != width) {
            throw new IllegalArgumentException("row " + y + " has " + row.length + " pixels; the image is " + width + " wide");
        }
        System.arraycopy(row, 0, pixels, y * width, width);
    }

    /**
     * Returns one pixel.
     *
     * @param x the column, 0 at the left
     * @param y the row, 0 at the top
     * @return {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if the point is outside the image
     */
    public int rgb(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside the image (" + width + " x " + height + ")");
        }
        return pixels[y * width + x];
    }

    /**
     * Returns the pixels as interleaved bytes, row by row from the top: red, green, blue.
     *
     * @return {@code width * height * 3} bytes
     */
    public byte[] toRgbBytes() {
        byte[] bytes = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            bytes[3 * i] = (byte) (p >>> 16);
            bytes[3 * i + 1] = (byte) (p >>> 8);
            bytes[3 * i + 2] = (byte) p;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + " x " + height + "]";
    }
}
