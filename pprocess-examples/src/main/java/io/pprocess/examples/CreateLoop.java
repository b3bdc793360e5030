package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import java.time.Duration;

/**
 * A conversation with one child made with {@link PProcess#create}: the parent sends 0, 1, …,
 * limit; the child prints each value below the limit and answers {@code "Done"} when it sees
 * the limit, then exits.
 *
 * <p>Run: {@code bin/pprocess-example create_loop [--limit 100]}
 */
public final class CreateLoop {

    private CreateLoop() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link LoopOptions}
     */
    public static void main(String[] args) {
        int limit = LoopOptions.parse("create_loop", args).limit();

        Channel channel = PProcess.create(child -> {
            while (true) {
                int value = child.receive();
                if (value == limit) {
                    child.send("Done");
                    PProcess.exit(child);
                }
                System.out.println(value);
            }
        });
        for (int value = 0; value <= limit; value++) {
            channel.send(value);
        }
        String answer = channel.receive();
        System.out.println(answer);
        channel.close();
        channel.waitFor(Duration.ofSeconds(10));
    }
}
