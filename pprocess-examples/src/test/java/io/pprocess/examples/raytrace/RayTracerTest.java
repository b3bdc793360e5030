package io.pprocess.examples.raytrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RayTracerTest {

    private static final int W = 60;
    private static final int H = 40;

    private final RayTracer tracer = new RayTracer(Scene.standard(W, H, 8));

    private static int red(int p) {
        return p >>> 16 & 0xFF;
    }

    private static int blue(int p) {
        return p & 0xFF;
    }

    @Test
    void rowsDoNotDependOnTheOrderTheyAreRenderedIn() {
        int[][] forward = new int[H][];
        for (int y = 0; y < H; y++) {
            forward[y] = tracer.renderRow(y);
        }
        RayTracer other = new RayTracer(Scene.standard(W, H, 8));
        for (int y = H - 1; y >= 0; y -= 3) {
            assertThat(other.renderRow(y)).as("row %d", y).isEqualTo(forward[y]);
        }
        assertThat(tracer.renderRow(17)).isEqualTo(forward[17]);
    }

    @Test
    void occlusionSamplingChangesThePicture() {
        RayTracer without = new RayTracer(Scene.standard(W, H, 0));
        int y = H - 5;
        assertThat(tracer.renderRow(y)).hasSize(W).isNotEqualTo(without.renderRow(y));
    }

    @Test
    void theSkyIsAboveAndTheCheckeredGroundBelow() {
        int[] top = tracer.renderRow(0);
        for (int x = 0; x < W; x++) {
            assertThat(blue(top[x])).as("sky pixel %d of the top row is blue", x).isGreaterThan(red(top[x]) + 10);
        }
        int[] bottom = tracer.renderRow(H - 1);
        Set<Integer> colours = new HashSet<>();
        for (int p : bottom) {
            colours.add(p);
        }
        assertThat(colours).as("the bottom row crosses light and dark squares").hasSizeGreaterThan(3);
        assertThat(bottom).doesNotContain(top[W / 2]);
    }

    @Test
    void theCentralSphereStandsOutFromWhatIsAroundIt() {
        Scene scene = tracer.scene();
        Shape.Sphere big = (Shape.Sphere) scene.shapes().get(1);
        assertThat(big.radius()).isGreaterThan(((Shape.Sphere) scene.shapes().get(2)).radius());
        int[] middle = tracer.renderRow(H / 2);
        int[] top = tracer.renderRow(0);
        assertThat(middle[W / 2]).as("the big sphere at the centre is not sky").isNotEqualTo(top[W / 2]);
        assertThat(middle[W / 2]).as("the big sphere differs from the edge of the picture").isNotEqualTo(middle[0]);
    }

    @Test
    void theStandardSceneHasARingOfTenSmallSpheresAroundOneLargeOne() {
        List<Shape> shapes = tracer.scene().shapes();
        assertThat(shapes.get(0)).isInstanceOf(Shape.Plane.class);
        assertThat(((Shape.Plane) shapes.get(0)).material().shader()).isInstanceOf(Shader.Checker.class);
        Shape.Sphere big = (Shape.Sphere) shapes.get(1);
        List<Shape.Sphere> ring = shapes.subList(2, shapes.size()).stream().map(Shape.Sphere.class::cast).toList();
        assertThat(ring).hasSize(10).allSatisfy(s -> {
            assertThat(s.radius()).isLessThan(big.radius());
            double dx = s.centre().x() - big.centre().x();
            double dz = s.centre().z() - big.centre().z();
            assertThat(Math.hypot(dx, dz)).isCloseTo(2.7, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(tracer.scene().lights()).hasOnlyElementsOfTypes(Light.Directional.class, Light.Point.class)
                .hasSize(2);
    }

    @Test
    @Timeout(30)
    void aChildProcessRendersTheSameRow() {
        int y = H * 3 / 4;
        try (Channel channel = PProcess.start((Channel c, RayTracer t) -> c.send(t.renderRow(y)), tracer)) {
            int[] fromChild = channel.receive();
            assertThat(fromChild).isEqualTo(tracer.renderRow(y));
        }
    }

    @Test
    void refusesRowsOutsideTheImage() {
        assertThatThrownBy(() -> tracer.renderRow(H)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("row 40 is outside the image (height 40)");
        assertThatThrownBy(() -> tracer.renderRow(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void sceneChecksNameTheBadValue() {
        assertThatThrownBy(() -> Scene.standard(0, 10, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid width: 0");
        assertThatThrownBy(() -> Scene.standard(10, 10, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid occlusionSamples: -1");
        Material m = new Material(new Shader.Solid(Rgb.BLACK), 0.5, 0.5, 10, 0);
        assertThatThrownBy(() -> new Shape.Sphere(new Vec3(0, 0, 0), -2, m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid radius: -2.0");
        assertThatThrownBy(() -> new Material(new Shader.Solid(Rgb.BLACK), 1.5, 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid diffuse: 1.5");
    }
}
