package io.pprocess.examples.raytrace;

/** A light source; surfaces in its shadow get none of its light. */
public sealed interface Light extends java.io.Serializable permits Light.Directional, Light.Point {

    /**
     * Returns the unit direction from a point towards the light.
     *
     * @param point a point in the scene
     * @return the direction to the light
     */
    Vec3 directionFrom(Vec3 point);

    /**
     * Returns how far a shadow ray from a point must stay clear to reach the light.
     *
     * @param point a point in the scene
     * @return the distance to the light ({@link Double#POSITIVE_INFINITY} for a parallel light)
     */
    double distanceFrom(Vec3 point);

    /**
     * Returns the light's intensity arriving at a point, before shadows and surface angle.
     *
     * @param point a point in the scene
     * @return the intensity there
     */
    Rgb intensityAt(Vec3 point);

    /**
     * A parallel light, like the sun: the same direction and intensity everywhere.
     *
     * @param towards the unit direction from the scene towards the light
     * @param intensity the intensity
     */
    record Directional(Vec3 towards, Rgb intensity) implements Light {
        /**
         * Checks the arguments.
         *
         * @param towards the unit direction from the scene towards the light
         * @param intensity the intensity
         * @throws IllegalArgumentException if {@code towards} is not a unit vector or the intensity is invalid
         */
        public Directional {
            Scene.require(towards.isFinite() && Math.abs(towards.length() - 1) < 1e-9, "towards (a unit vector)", towards);
            Scene.require(intensity.isValid(), "intensity", intensity);
        }

        @Override
        public Vec3 directionFrom(Vec3 point) {
            return towards;
        }

        @Override
        public double distanceFrom(Vec3 point) {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public Rgb intensityAt(Vec3 point) {
            return intensity;
        }
    }

    /**
     * A point light whose intensity falls off with distance as {@code 1 / (1 + (d / range)²)}.
     *
     * @param position where the light is
     * @param intensity the intensity close to the light
     * @param range the distance at which the intensity has halved, positive
     */
    record Point(Vec3 position, Rgb intensity, double range) implements Light {
        /**
         * Checks the arguments.
         *
         * @param position where the light is
         * @param intensity the intensity close to the light
         * @param range the distance at which the intensity has halved, positive
         * @throws IllegalArgumentException naming the first invalid value
         */
        public Point {
            Scene.require(position.isFinite(), "position", position);
            Scene.require(intensity.isValid(), "intensity", intensity);
            Scene.require(range > 0 && Double.isFinite(range), "range", range);
        }

        @Override
        public Vec3 directionFrom(Vec3 point) {
            return position.minus(point).normalized();
        }

        @Override
        public double distanceFrom(Vec3 point) {
            return position.minus(point).length();
        }

        @Override
        public Rgb intensityAt(Vec3 point) {
            double d = distanceFrom(point) / range;
            return intensity.times(1 / (1 + d * d));
        }
    }
}
