package io.pprocess.testing;

import io.pprocess.Channel;
import io.pprocess.PProcess;
import io.pprocess.PersistentOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A program run several times by tests: {@code start ADDRESS N LOG} starts a background
 * process that sends 0..N-1 and exits at once; {@code collect ADDRESS K} connects, receives K
 * values, prints them and exits; {@code rest ADDRESS} prints everything left.
 */
public final class PersistentDemo {
    private PersistentDemo() {
    }

    /**
     * Runs one step.
     *
     * @param args the mode and its arguments
     */
    public static void main(String[] args) {
        Path address = Path.of(args[1]);
        switch (args[0]) {
            case "start": {
                int n = Integer.parseInt(args[2]);
                PersistentOptions options = PersistentOptions.defaults().idleLimit(Duration.ofMinutes(2));
                if (args.length > 3) {
                    options = options.log(Path.of(args[3]));
                }
                var process = PProcess.startPersistent(address, options, c -> {
                    for (int i = 0; i < n; i++) {
                        c.send(i);
                    }
                });
                System.out.println("started " + process.pid());
                break;
            }
            case "collect": {
                int k = Integer.parseInt(args[2]);
                try (Channel ch = PProcess.connectPersistent(address)) {
                    for (int i = 0; i < k; i++) {
                        System.out.println("value " + ch.receive());
                    }
                }
                break;
            }
            case "rest": {
                try (Channel ch = PProcess.connectPersistent(address)) {
                    while (true) {
                        try {
                            System.out.println("value " + ch.receive());
                        } catch (io.pprocess.ChannelException e) {
                            System.out.println("end " + e.getMessage());
                            break;
                        }
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }
}
