package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.internal.transport.Transports;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport this JVM was told to use is the one its children get: run by surefire once per
 * transport, so each run of the contract suite is known to exercise the transport it names.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportSelectionContractTest {

    @Test
    void startAndReceiveUseTheConfiguredTransport() {
        Channel channel = PProcess.start((Channel c, Integer n) -> c.send(n * n), 12);
        try {
            int square = channel.receive();
            assertThat(square).isEqualTo(144);
            assertThat(Transports.current().name()).isEqualTo(Transports.configuredName());
            assertThat(channel.waitFor(Duration.ofSeconds(30))).hasValue(0);
        } finally {
            channel.close();
        }
    }
}
