package io.pprocess.examples.raytrace;

/**
 * A point or direction in the scene's right-handed space, with y pointing up.
 *
 * <p>Arithmetic is plain IEEE double arithmetic, which every JVM evaluates identically, so a
 * scene renders to the same bytes in any process. Values are not checked: the scene types
 * that hold vectors check them.
 *
 * @param x the x coordinate
 * @param y the y coordinate (up)
 * @param z the z coordinate
 */
public record Vec3(double x, double y, double z) implements java.io.Serializable {

    /**
     * Returns the sum of two vectors.
     *
     * @param o the other vector
     * @return {@code this + o}
     */
    public Vec3 plus(Vec3 o) {
        return new Vec3(x + o.x, y + o.y, z + o.z);
    }

    /**
     * Returns the difference of two vectors.
     *
     * @param o the other vector
     * @return {@code this - o}
     */
    public Vec3 minus(Vec3 o) {
        return new Vec3(x - o.x, y - o.y, z - o.z);
    }

    /**
     * Returns this vector scaled.
     *
     * @param k the factor
     * @return {@code k * this}
     */
    public Vec3 times(double k) {
        return new Vec3(x * k, y * k, z * k);
    }

    /**
     * Returns the dot product.
     *
     * @param o the other vector
     * @return {@code this · o}
     */
    public double dot(Vec3 o) {
        return x * o.x + y * o.y + z * o.z;
    }

    /**
     * Returns the cross product.
     *
     * @param o the other vector
     * @return {@code this × o}
     */
    public Vec3 cross(Vec3 o) {
        return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
    }

    /**
     * Returns the Euclidean length.
     *
     * @return {@code |this|}
     */
    public double length() {
        return Math.sqrt(dot(this));
    }

    /**
     * Returns the unit vector in this direction.
     *
     * @return this divided by its length
     * @throws IllegalArgumentException if this is the zero vector
     */
    public Vec3 normalized() {
        double len = length();
        if (len == 0) {
            throw new IllegalArgumentException("cannot normalise the zero vector");
        }
        return times(1 / len);
    }

    /**
     * Mirrors this direction about a surface normal.
     *
     * @param normal a unit vector
     * @return the reflected direction
     */
    public Vec3 reflect(Vec3 normal) {
        return minus(normal.times(2 * dot(normal)));
    }

    /** @return whether every coordinate is finite */
    boolean isFinite() {
        return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
    }
}
