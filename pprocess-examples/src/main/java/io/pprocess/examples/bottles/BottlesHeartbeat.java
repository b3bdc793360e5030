package io.pprocess.examples.bottles;

/**
 * {@link Bottles} with a heartbeat: one more continuous child sends a message every
 * {@code --heartbeat} seconds, and the parent prints {@code heartbeat N} among the matches,
 * showing that children of different kinds share one exchange.
 *
 * <p>Run: {@code bin/pprocess-example bottles_heartbeat [--heartbeat 0.5] [--bottles 99] [--files 3] [--delay 0.02]}
 */
public final class BottlesHeartbeat {

    private BottlesHeartbeat() {
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link BottlesOptions}
     * @throws Exception if the files cannot be written
     */
    public static void main(String[] args) throws Exception {
        Bottles.mainWithHeartbeat(args);
    }
}
