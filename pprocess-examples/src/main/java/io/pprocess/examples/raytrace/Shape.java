package io.pprocess.examples.raytrace;

/** A surface that rays can hit. */
public sealed interface Shape extends java.io.Serializable permits Shape.Sphere, Shape.Plane {

    /** Distance below which a hit is ignored, so that rays leaving a surface do not hit it again. */
    double EPSILON = 1e-6;

    /**
     * Finds where a ray first meets this surface.
     *
     * @param origin the ray's origin
     * @param direction the ray's direction, a unit vector
     * @return the distance along the ray to the nearest hit beyond {@link #EPSILON}, or
     *     {@link Double#POSITIVE_INFINITY} if the ray misses
     */
    double intersect(Vec3 origin, Vec3 direction);

    /**
     * Returns the outward unit normal at a point on the surface.
     *
     * @param point a point on the surface
     * @return the normal there
     */
    Vec3 normalAt(Vec3 point);

    /** @return the surface's material */
    Material material();

    /**
     * A sphere.
     *
     * @param centre the centre
     * @param radius the radius, positive
     * @param material the material
     */
    record Sphere(Vec3 centre, double radius, Material material) implements Shape {
        /**
         * Checks the arguments.
         *
         * @param centre the centre
         * @param radius the radius, positive
         * @param material the material
         * @throws IllegalArgumentException if the centre is not finite or the radius not positive
         */
        public Sphere {
            Scene.require(centre.isFinite(), "centre", centre);
            Scene.require(radius > 0 && Double.isFinite(radius), "radius", radius);
            if (material == null) {
                throw new NullPointerException("material == null");
            }
        }

        @Override
        public double intersect(Vec3 origin, Vec3 direction) {
            double ox = origin.x() - centre.x();
            double oy = origin.y() - centre.y();
            double oz = origin.z() - centre.z();
            double b = ox * direction.x() + oy * direction.y() + oz * direction.z();
            double c = ox * ox + oy * oy + oz * oz - radius * radius;
            double disc = b * b - c;
            if (disc < 0) {
                return Double.POSITIVE_INFINITY;
            }
            double root = Math.sqrt(disc);
            double near = -b - root;
            if (near > EPSILON) {
                return near;
            }
            double far = -b + root;
            return far > EPSILON ? far : Double.POSITIVE_INFINITY;
        }

        @Override
        public Vec3 normalAt(Vec3 point) {
            return point.minus(centre).times(1 / radius);
        }
    }

    /**
     * An infinite plane.
     *
     * @param point any point of the plane
     * @param normal the side the plane faces, a unit vector
     * @param material the material
     */
    record Plane(Vec3 point, Vec3 normal, Material material) implements Shape {
        /**
         * Checks the arguments.
         *
         * @param point any point of the plane
         * @param normal the side the plane faces, a unit vector
         * @param material the material
         * @throws IllegalArgumentException if the point is not finite or the normal not a unit vector
         */
        public Plane {
            Scene.require(point.isFinite(), "point", point);
            Scene.require(normal.isFinite() && Math.abs(normal.length() - 1) < 1e-9, "normal (a unit vector)", normal);
            if (material == null) {
                throw new NullPointerException("material == null");
            }
        }

        @Override
        public double intersect(Vec3 origin, Vec3 direction) {
            double denom = normal.dot(direction);
            if (denom == 0) {
                return Double.POSITIVE_INFINITY;
            }
            double t = point.minus(origin).dot(normal) / denom;
            return t > EPSILON ? t : Double.POSITIVE_INFINITY;
        }

        @Override
        public Vec3 normalAt(Vec3 p) {
            return normal;
        }
    }
}
