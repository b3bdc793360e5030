package io.pprocess.internal.transport;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The pipe transport: two pipes from jnr-posix, given to the child as fds 3 and 4. */
public final class PipeTransport implements Transport {

    PipeTransport() throws IOException {
        throw new IOException("the pipe transport is not available yet");
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public Spawned spawn(List<String> command, Map<String, String> environment, long connectTimeoutMillis)
            throws IOException {
        throw new IOException("the pipe transport is not available yet");
    }

    @Override
    public Poller openPoller() throws IOException {
        throw new IOException("the pipe transport is not available yet");
    }
}
