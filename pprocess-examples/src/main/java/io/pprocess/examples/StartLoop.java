package io.pprocess.examples;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import io.pprocess.PProcess;
import java.time.Duration;

/**
 * The same conversation as {@link CreateLoop}, with the child's code as a task given to
 * {@link PProcess#start} together with its argument, the limit.
 *
 * <p>Run: {@code bin/pprocess-example start_loop [--limit 100]}
 */
public final class StartLoop {

    private StartLoop() {
    }

    /** The child: prints what it receives until the limit comes, then answers "Done". */
    static final ChannelTask1<Integer> PRINT_UNTIL = (Channel channel, Integer limit) -> {
        while (true) {
            int value = channel.receive();
            if (value == limit) {
                channel.send("Done");
                return;
            }
            System.out.println(value);
        }
    };

    /**
     * Runs the program.
     *
     * @param args the options, see {@link LoopOptions}
     */
    public static void main(String[] args) {
        int limit = LoopOptions.parse("start_loop", args).limit();

        Channel channel = PProcess.start(PRINT_UNTIL, limit);
        for (int value = 0; value <= limit; value++) {
            channel.send(value);
        }
        String answer = channel.receive();
        System.out.println(answer);
        channel.close();
        channel.waitFor(Duration.ofSeconds(10));
    }
}
