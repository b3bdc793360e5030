package io.pprocess.bench;

import io.pprocess.Channel;
import java.time.Duration;
import java.util.OptionalInt;

/** Ends a benchmark's child and checks that it ended cleanly. */
final class Stopping {
    private Stopping() {
    }

    /**
     * Sends the stop marker, waits for the child to exit, and closes the channel.
     *
     * @param channel the parent's end
     * @param stop the marker the child stops on
     * @param role what the child is, for the message
     * @throws IllegalStateException if it did not exit with status 0 within 10 s
     */
    static void stop(Channel channel, Object stop, String role) {
        try {
            channel.send(stop);
            OptionalInt status = channel.waitFor(Duration.ofSeconds(10));
            if (status.isEmpty() || status.getAsInt() != 0) {
                throw new IllegalStateException(role + " " + channel.pid() + " ended with "
                        + (status.isEmpty() ? "no exit within 10 s" : "status " + status.getAsInt()));
            }
        } finally {
            channel.close();
        }
    }
}
