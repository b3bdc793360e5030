package io.pprocess.examples.raytrace;

/**
 * A linear RGB colour or light intensity. Components are normally in [0, 1] but may exceed 1
 * while light is summed; {@link #toPixel()} clamps them.
 *
 * @param r the red component
 * @param g the green component
 * @param b the blue component
 */
public record Rgb(double r, double g, double b) implements java.io.Serializable {

    /** No light at all. */
    public static final Rgb BLACK = new Rgb(0, 0, 0);

    /**
     * Returns the component-wise sum.
     *
     * @param o the other colour
     * @return {@code this + o}
     */
    public Rgb plus(Rgb o) {
        return new Rgb(r + o.r, g + o.g, b + o.b);
    }

    /**
     * Returns this colour scaled.
     *
     * @param k the factor
     * @return {@code k * this}
     */
    public Rgb times(double k) {
        return new Rgb(r * k, g * k, b * k);
    }

    /**
     * Returns the component-wise product: this colour seen through the filter {@code o}.
     *
     * @param o the other colour
     * @return {@code (r * o.r, g * o.g, b * o.b)}
     */
    public Rgb times(Rgb o) {
        return new Rgb(r * o.r, g * o.g, b * o.b);
    }

    /**
     * Mixes two colours linearly.
     *
     * @param o the other colour
     * @param t how much of {@code o}, in [0, 1]
     * @return {@code (1 - t) * this + t * o}
     */
    public Rgb mix(Rgb o, double t) {
        return times(1 - t).plus(o.times(t));
    }

    /**
     * Converts to a display pixel: each component clamped to [0, 1], gamma-encoded with an
     * exponent of 1/2 (a square root, exact in IEEE arithmetic) and scaled to 0..255.
     *
     * @return {@code 0xRRGGBB}
     */
    public int toPixel() {
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    /** @return whether every component is finite and not negative */
    boolean isValid() {
        return r >= 0 && g >= 0 && b >= 0 && Double.isFinite(r + g + b);
    }

    private static int channel(double v) {
        double clamped = Math.max(0.0, Math.min(1.0, v));
        return (int) Math.round(Math.sqrt(clamped) * 255.0);
    }
}
