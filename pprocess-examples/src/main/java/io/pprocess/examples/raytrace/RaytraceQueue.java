package io.pprocess.examples.raytrace;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.ExchangeOptions;
import io.pprocess.QueueExchange;

/**
 * Renders with a {@link QueueExchange} of continuous children: child {@code k} of {@code limit}
 * renders rows {@code k, k + limit, k + 2·limit, …} and sends each, labelled with its row
 * number, as soon as it is done. Rows arrive out of order and are placed by their number, so
 * the file is byte for byte the one the sequential {@link Raytrace} writes. Only {@code limit}
 * processes are started, and interleaving the rows spreads the costly ones evenly.
 *
 * <p>Run: {@code bin/pprocess-example raytrace_queue [--limit CORES] [--width 300] [--height 200] [--output test.tif]}
 */
public final class RaytraceQueue {

    private RaytraceQueue() {
    }

    /**
     * A rendered row.
     *
     * @param y the row number
     * @param pixels its pixels
     */
    record Row(int y, int[] pixels) {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link RaytraceOptions}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        RaytraceOptions options = RaytraceOptions.parse("raytrace_queue", args);
        RayTracer tracer = options.tracer();
        int children = Math.min(options.limit(), tracer.height());
        long start = System.nanoTime();
        RgbImage image = new RgbImage(tracer.width(), tracer.height());
        RowProgress progress = RowProgress.onTerminal(tracer.height());

        ChannelTask1<Integer> renderEveryNthRow = (Channel channel, Integer first) -> {
            for (int y = first; y < tracer.height(); y += children) {
                channel.send(new Row(y, tracer.renderRow(y)));
            }
        };
        ExchangeOptions continuous = ExchangeOptions.defaults().limit(children).continuous(true);
        try (QueueExchange<Row> queue = new QueueExchange<>(continuous)) {
            for (int k = 0; k < children; k++) {
                queue.start(renderEveryNthRow, k);
            }
            for (Row row : queue) {
                image.setRow(row.y(), row.pixels());
                progress.step();
            }
        }
        options.finish(image, start);
    }
}
