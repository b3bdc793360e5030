package io.pprocess.examples.raytrace;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that decides the picture: image size, camera, shapes, lights and the sampling
 * settings. A scene is plain immutable data, so it can be copied into child processes.
 *
 * @param width the image width in pixels, positive
 * @param height the image height in pixels, positive
 * @param camera the camera
 * @param shapes the shapes, at least one
 * @param lights the lights
 * @param ambient the ambient light, scaled by ambient occlusion at each visible point
 * @param skyZenith the sky colour straight up
 * @param skyHorizon the sky colour at the horizon and below
 * @param occlusionSamples the number of rays sampled per visible point for ambient occlusion;
 *     0 switches ambient occlusion off
 * @param occlusionDistance how far an occlusion ray looks for a blocker, positive
 * @param maxReflections how many times a ray may be mirrored, at least 0
 * @param seed the seed of the occlusion sampling; row {@code y} uses its own generator derived
 *     from {@code seed} and {@code y}
 */
public record Scene(
        int width, int height, Camera camera, List<Shape> shapes, List<Light> lights,
        Rgb ambient, Rgb skyZenith, Rgb skyHorizon,
        int occlusionSamples, double occlusionDistance, int maxReflections, long seed)
        implements java.io.Serializable {

    /** The width of the original scene's image. */
    public static final int DEFAULT_WIDTH = 300;
    /** The height of the original scene's image. */
    public static final int DEFAULT_HEIGHT = 200;
    /** The occlusion samples per visible point of the standard scene. */
    public static final int DEFAULT_OCCLUSION_SAMPLES = 256;

    /**
     * Checks the arguments and copies the lists.
     *
     * @param width the image width in pixels, positive
     * @param height the image height in pixels, positive
     * @param camera the camera
     * @param shapes the shapes, at least one
     * @param lights the lights
     * @param ambient the ambient light, scaled by ambient occlusion at each visible point
     * @param skyZenith the sky colour straight up
     * @param skyHorizon the sky colour at the horizon and below
     * @param occlusionSamples the number of rays sampled per visible point for ambient occlusion;
     *     0 switches ambient occlusion off
     * @param occlusionDistance how far an occlusion ray looks for a blocker, positive
     * @param maxReflections how many times a ray may be mirrored, at least 0
     * @param seed the seed of the occlusion sampling; row {@code y} uses its own generator derived
     *     from {@code seed} and {@code y}
     * @throws IllegalArgumentException naming the first invalid value
     * @throws NullPointerException if an object argument or a list element is null
     */
    public Scene {
        require(width > 0, "width", width);
        require(height > 0, "height", height);
        require((long) width * height <= Integer.MAX_VALUE / 3, "width * height", (long) width * height);
        if (camera == null) {
            throw new NullPointerException("camera == null");
        }
        shapes = List.copyOf(shapes);
        lights = List.copyOf(lights);
        require(!shapes.isEmpty(), "shapes (at least one)", shapes);
        require(ambient.isValid(), "ambient", ambient);
        require(skyZenith.isValid(), "skyZenith", skyZenith);
        require(skyHorizon.isValid(), "skyHorizon", skyHorizon);
        require(occlusionSamples >= 0, "occlusionSamples", occlusionSamples);
        require(occlusionDistance > 0 && Double.isFinite(occlusionDistance), "occlusionDistance", occlusionDistance);
        require(maxReflections >= 0, "maxReflections", maxReflections);
    }

    /**
     * Builds the standard scene, after the one PyGmy renders: on a checkered ground, a ring of
     * ten small coloured spheres around a centre point, one larger mirror-like sphere in the
     * middle, lit by a parallel light and a point light, with reflections and sampled ambient
     * occlusion.
     *
     * @param width the image width in pixels (300 in the original)
     * @param height the image height in pixels (200 in the original)
     * @param occlusionSamples occlusion rays per visible point ({@link #DEFAULT_OCCLUSION_SAMPLES})
     * @return the scene
     * @throws IllegalArgumentException if a size is not positive or the sample count is negative
     */
    public static Scene standard(int width, int height, int occlusionSamples) {
        Camera camera = new Camera(new Vec3(0, 2.4, -9.0), new Vec3(0, 1.1, 0), new Vec3(0, 1, 0), 36);
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape.Plane(new Vec3(0, 0, 0), new Vec3(0, 1, 0),
                new Material(new Shader.Checker(new Rgb(0.85, 0.85, 0.80), new Rgb(0.20, 0.24, 0.32), 1.0),
                        0.9, 0.1, 8, 0.12)));
        shapes.add(new Shape.Sphere(new Vec3(0, 1.25, 0), 1.25,
                new Material(new Shader.Solid(new Rgb(0.80, 0.82, 0.88)), 0.45, 0.8, 60, 0.55)));
        int ring = 10;
        double ringRadius = 2.7;
        double small = 0.42;
        for (int k = 0; k < ring; k++) {
            double angle = 2 * Math.PI * k / ring;
            Vec3 centre = new Vec3(ringRadius * StrictMath.cos(angle), small, ringRadius * StrictMath.sin(angle));
            shapes.add(new Shape.Sphere(centre, small,
                    new Material(new Shader.Solid(hue((double) k / ring)), 0.85, 0.5, 30, 0.15)));
        }
        List<Light> lights = List.of(
                new Light.Directional(new Vec3(-0.45, 0.8, -0.4).normalized(), new Rgb(0.75, 0.72, 0.64)),
                new Light.Point(new Vec3(4.5, 5.5, -4.0), new Rgb(0.65, 0.65, 0.75), 8.0));
        return new Scene(width, height, camera, shapes, lights,
                new Rgb(0.35, 0.37, 0.42), new Rgb(0.30, 0.45, 0.80), new Rgb(0.85, 0.88, 0.95),
                occlusionSamples, 2.5, 3, 0x5EED_C0DEL);
    }

    /** @return a saturated colour at position {@code h} in [0, 1) of the colour wheel */
    private static Rgb hue(double h) {
        double x = h * 6;
        int sector = (int) x;
        double f = x - sector;
        double lo = 0.15;
        double hi = 0.95;
        double up = lo + (hi - lo) * f;
        double down = hi - (hi - lo) * f;
        return switch (sector) {
            case 0 -> new Rgb(hi, up, lo);
            case 1 -> new Rgb(down, hi, lo);
            case 2 -> new Rgb(lo, hi, up);
            case 3 -> new Rgb(lo, down, hi);
            case 4 -> new Rgb(up, lo, hi);
            default -> new Rgb(hi, lo, down);
        };
    }

    static void require(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + name + ": " + value);
        }
    }
}
