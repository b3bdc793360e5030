package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four ray-tracer programs write byte-identical TIFF files that ImageIO opens at the right
 * size: on a small image, and once on the full 300 × 200 scene.
 */
class RaytraceIT {

    private static final List<String> VARIANTS = List.of("raytrace", "raytrace_pmap", "raytrace_queue", "raytrace_reusable");

    private static byte[] render(String variant, Path dir, List<String> options) throws Exception {
        Path output = dir.resolve(variant + ".tif");
        List<String> args = new ArrayList<>(List.of(variant, "--output", output.toString()));
        args.addAll(options);
        ExampleRun run = ExampleRun.run(150, args.toArray(String[]::new)).succeeded();
        assertThat(run.out).contains("Wrote " + output);
        assertThat(run.err).as("the progress bar stays silent without a terminal").doesNotContain("rows [");
        System.out.printf("%s %s: %.3f s%n", variant, String.join(" ", options), run.timeTaken());
        return Files.readAllBytes(output);
    }

    private static void assertAllIdentical(Path dir, int width, int height, String... options) throws Exception {
        byte[] sequential = render(VARIANTS.get(0), dir, List.of(options));
        BufferedImage image = ImageIO.read(dir.resolve(VARIANTS.get(0) + ".tif").toFile());
        assertThat(image).as("ImageIO reads the TIFF file").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        for (String variant : VARIANTS.subList(1, VARIANTS.size())) {
            assertThat(render(variant, dir, List.of(options))).as("%s writes the bytes raytrace writes", variant)
                    .isEqualTo(sequential);
        }
    }

    @Test
    @Timeout(240)
    void everyVariantWritesTheSameSmallImage(@TempDir Path dir) throws Exception {
        assertAllIdentical(dir, 60, 40, "--width", "60", "--height", "40", "--samples", "16", "--limit", "3");
    }

    @Test
    @Timeout(300)
    void everyVariantWritesTheSameFullImage(@TempDir Path dir) throws Exception {
        assertAllIdentical(dir, 300, 200, "--limit", "2");
    }
}
