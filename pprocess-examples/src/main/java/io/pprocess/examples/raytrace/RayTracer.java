package io.pprocess.examples.raytrace;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Renders a {@link Scene} one row of pixels at a time.
 *
 * <p>{@link #renderRow(int)} is a pure function of the scene and the row number: the random
 * numbers of ambient occlusion come from a generator seeded with the scene's seed and the row,
 * and all arithmetic is deterministic IEEE arithmetic ({@link StrictMath} for trigonometry).
 * Rows may therefore be rendered in any order, in any number of processes, and assemble into
 * the same bytes. A tracer is immutable plain data and can be copied into child processes.
 *
 * <pre>{@code
 * RayTracer tracer = new RayTracer(Scene.standard(300, 200, Scene.DEFAULT_OCCLUSION_SAMPLES));
 * int[] row = tracer.renderRow(100);   // 300 pixels, 0xRRGGBB
 * }</pre>
 */
public final class RayTracer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** How far a secondary ray starts off its surface, to avoid hitting the surface itself. */
    private static final double OFFSET = 1e-4;

    private final Scene scene;
    private final Vec3 forward;
    private final Vec3 right;
    private final Vec3 up;
    private final double halfHeight;
    private final double halfWidth;

    /**
     * Creates a tracer for a scene.
     *
     * @param scene the scene
     */
    public RayTracer(Scene scene) {
        this.scene = scene;
        Camera camera = scene.camera();
        this.forward = camera.target().minus(camera.eye()).normalized();
        this.right = forward.cross(camera.up()).normalized();
        this.up = right.cross(forward);
        this.halfHeight = StrictMath.tan(Math.toRadians(camera.fieldOfViewDegrees()) / 2);
        this.halfWidth = halfHeight * scene.width() / scene.height();
    }

    /** @return the scene */
    public Scene scene() {
        return scene;
    }

    /** @return the image width in pixels */
    public int width() {
        return scene.width();
    }

    /** @return the image height in pixels */
    public int height() {
        return scene.height();
    }

    /**
     * Renders one row of the image.
     *
     * @param y the row, 0 at the top
     * @return {@link #width()} pixels from left to right, each {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if {@code y} is not a row of the image
     */
    public int[] renderRow(int y) {
        if (y < 0 || y >= scene.height()) {
            throw new IndexOutOfBoundsException("row " + y + " is outside the image (height " + scene.height() + ")");
        }
        SplittableRandom random = new SplittableRandom(scene.seed() ^ (0x9E3779B97F4A7C15L * (y + 1)));
        int[] row = new int[scene.width()];
        double v = halfHeight * (1 - 2 * (y + 0.5) / scene.height());
        for (int x = 0; x < row.length; x++) {
            double u = halfWidth * (2 * (x + 0.5) / scene.width() - 1);
            Vec3 direction = forward.plus(right.times(u)).plus(up.times(v)).normalized();
            row[x] = trace(scene.camera().eye(), direction, 0, random).toPixel();
        }
        return row;
    }

    /**
     * Renders the whole image in this thread, row by row.
     *
     * @return the image
     */
    public RgbImage render() {
        RgbImage image = new RgbImage(width(), height());
        for (int y = 0; y < height(); y++) {
            image.setRow(y, renderRow(y));
        }
        return image;
    }

    private Rgb trace(Vec3 origin, Vec3 direction, int depth, SplittableRandom random) {
        List<Shape> shapes = scene.shapes();
        Shape nearest = null;
        double distance = Double.POSITIVE_INFINITY;
        for (int i = 0, n = shapes.size(); i < n; i++) {
            Shape shape = shapes.get(i);
            double t = shape.intersect(origin, direction);
            if (t < distance) {
                distance = t;
                nearest = shape;
            }
        }
        if (nearest == null) {
            return sky(direction);
        }
        Vec3 point = origin.plus(direction.times(distance));
        Vec3 normal = nearest.normalAt(point);
        if (normal.dot(direction) > 0) {
            normal = normal.times(-1);
        }
        Vec3 lifted = point.plus(normal.times(OFFSET));
        Material material = nearest.material();
        Rgb base = material.shader().colourAt(point);

        double openness = depth == 0 ? openness(lifted, normal, random) : 1.0;
        Rgb colour = scene.ambient().times(base).times(openness);
        for (Light light : scene.lights()) {
            Vec3 toLight = light.directionFrom(point);
            double facing = normal.dot(toLight);
            if (facing <= 0 || blocked(lifted, toLight, light.distanceFrom(point))) {
                continue;
            }
            Rgb intensity = light.intensityAt(point);
            colour = colour.plus(intensity.times(base).times(material.diffuse() * facing));
            double highlight = toLight.times(-1).reflect(normal).dot(direction.times(-1));
            if (highlight > 0 && material.specular() > 0) {
                colour = colour.plus(intensity.times(material.specular() * StrictMath.pow(highlight, material.shininess())));
            }
        }
        if (material.reflectivity() > 0 && depth < scene.maxReflections()) {
            Rgb mirrored = trace(lifted, direction.reflect(normal), depth + 1, random);
            colour = colour.mix(mirrored, material.reflectivity());
        }
        return colour;
    }

    /** @return the fraction of sampled directions above the surface that no shape blocks */
    private double openness(Vec3 point, Vec3 normal, SplittableRandom random) {
        int samples = scene.occlusionSamples();
        if (samples == 0) {
            return 1.0;
        }
        Vec3 helper = Math.abs(normal.x()) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        Vec3 tangent = normal.cross(helper).normalized();
        Vec3 bitangent = normal.cross(tangent);
        int open = 0;
        for (int i = 0; i < samples; i++) {
            // cosine-weighted direction in the hemisphere around the normal
            double phi = 2 * Math.PI * random.nextDouble();
            double r2 = random.nextDouble();
            double s = Math.sqrt(r2);
            Vec3 direction = tangent.times(StrictMath.cos(phi) * s)
                    .plus(bitangent.times(StrictMath.sin(phi) * s))
                    .plus(normal.times(Math.sqrt(1 - r2)));
            if (!blocked(point, direction, scene.occlusionDistance())) {
                open++;
            }
        }
        return (double) open / samples;
    }

    /** @return whether a shape lies on the ray within {@code limit} */
    private boolean blocked(Vec3 origin, Vec3 direction, double limit) {
        List<Shape> shapes = scene.shapes();
        for (int i = 0, n = shapes.size(); i < n; i++) {
            if (shapes.get(i).intersect(origin, direction) < limit) {
                return true;
            }
        }
        return false;
    }

    private Rgb sky(Vec3 direction) {
        double t = Math.max(0, direction.y());
        return scene.skyHorizon().mix(scene.skyZenith(), Math.sqrt(t));
    }
}
