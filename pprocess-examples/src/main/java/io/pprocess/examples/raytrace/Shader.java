package io.pprocess.examples.raytrace;

/** Gives the surface colour of a shape at a point on its surface. */
public sealed interface Shader extends java.io.Serializable permits Shader.Solid, Shader.Checker {

    /**
     * Returns the surface colour at a point.
     *
     * @param point a point on the surface, in scene coordinates
     * @return the colour there
     */
    Rgb colourAt(Vec3 point);

    /**
     * One colour everywhere.
     *
     * @param colour the colour
     */
    record Solid(Rgb colour) implements Shader {
        /**
         * Checks the colour.
         *
         * @param colour the colour
         * @throws IllegalArgumentException if a component is negative or not finite
         */
        public Solid {
            Scene.require(colour.isValid(), "colour", colour);
        }

        @Override
        public Rgb colourAt(Vec3 point) {
            return colour;
        }
    }

    /**
     * A checkerboard of squares laid out in the x-z plane (seen from above), for the ground.
     *
     * @param even the colour of squares whose integer coordinates sum to an even number
     * @param odd the colour of the other squares
     * @param size the side of a square, in scene units
     */
    record Checker(Rgb even, Rgb odd, double size) implements Shader {
        /**
         * Checks the arguments.
         *
         * @param even the colour of squares whose integer coordinates sum to an even number
         * @param odd the colour of the other squares
         * @param size the side of a square, in scene units
         * @throws IllegalArgumentException if a colour is invalid or {@code size} is not positive
         */
        public Checker {
            Scene.require(even.isValid(), "even", even);
            Scene.require(odd.isValid(), "odd", odd);
            Scene.require(size > 0 && Double.isFinite(size), "size", size);
        }

        @Override
        public Rgb colourAt(Vec3 point) {
            long cx = (long) Math.floor(point.x() / size);
            long cz = (long) Math.floor(point.z() / size);
            return ((cx + cz) & 1) == 0 ? even : odd;
        }
    }
}
