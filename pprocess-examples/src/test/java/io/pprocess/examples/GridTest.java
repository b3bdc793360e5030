package io.pprocess.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {

    private static String printed(Grid grid) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        grid.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsRowsOfValuesAndADashForMissingCells() {
        Grid grid = new Grid(2);
        grid.put(new GridWork.Result(0, 1, 1));
        grid.put(1, 0, 2);

        assertThat(printed(grid)).isEqualTo(String.format("- 1%n2 -%n"));
    }

    @Test
    void buildsFromValuesInRowOrder() {
        assertThat(printed(Grid.of(2, List.of(0, 1, 2, 3)))).isEqualTo(String.format("0 1%n2 3%n"));
        assertThatThrownBy(() -> Grid.of(2, List.of(0, 1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a 2 x 2 grid needs 4 values, not 3");
    }

    @Test
    void refusesCellsOutsideTheGrid() {
        assertThatThrownBy(() -> new Grid(3).put(3, 0, 9)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("cell (3, 0) is outside the 3 x 3 grid");
    }

    @Test
    void theWorkIsINTimesNPlusJ() {
        GridWork work = new GridWork(7, 0);
        assertThat(work.calculate(2, 3)).isEqualTo(17);
        assertThat(work.result(6, 6)).isEqualTo(new GridWork.Result(6, 6, 48));
        assertThat(work.cells()).hasSize(49).startsWith(new GridWork.Cell(0, 0), new GridWork.Cell(0, 1))
                .endsWith(new GridWork.Cell(6, 6));
    }

    @Test
    void theWorkTakesItsDelay() {
        GridWork work = new GridWork(2, 30_000_000L);
        long start = System.nanoTime();
        work.calculate(new GridWork.Cell(1, 1));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000L);
    }

    @Test
    void optionsBecomeTheWorkAndAreChecked() {
        GridOptions options = new GridOptions();
        options.n = 4;
        options.delay = 0.25;
        options.check();
        assertThat(options.work()).isEqualTo(new GridWork(4, 250_000_000L));

        options.delay = -1;
        assertThatThrownBy(options::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--delay must be between 0 and 3600 seconds: -1.0");
        options.delay = 0;
        options.n = 0;
        assertThatThrownBy(options::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--n must be at least 1: 0");
    }
}
