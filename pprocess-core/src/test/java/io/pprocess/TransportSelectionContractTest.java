package io.pprocess;

import io.pprocess.internal.spawn.Transports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport this JVM was told to use is the one its children get: run by surefire once per
 * transport, so each run of the contract suite is known to exercise the transport it names. The
 * child reports what its own descriptors are, so the check is made on the child's side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportSelectionContractTest {

    @Test
    void theChildsChannelIsOfTheConfiguredTransport() {
        String configured = Transports.configuredName();
        Channel channel = PProcess.start(c -> c.send(descriptorTargets()));
        try {
            List<String> targets = channel.receive();
            if (configured.equals("pipe")) {
                assertThat(targets).as("the child's descriptors").contains("3 -> pipe", "4 -> pipe")
                        .doesNotContain("3 -> socket", "4 -> socket");
            } else {
                assertThat(configured).isEqualTo("socket");
                assertThat(targets).as("the child's descriptors").contains("* -> socket");
            }
            assertThat(channel.waitFor(Duration.ofSeconds(30))).hasValue(0);
        } finally {
            channel.close();
        }
    }

    /**
     * Runs in the child: each of its descriptors as "fd -> kind" (the kind is the link target up to
     * its first ':' or '['), plus "* -> kind" once per kind seen.
     */
    static ArrayList<String> descriptorTargets() throws IOException {
        ArrayList<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // the listing's own descriptor, closed by now
                }
                String kind = target.split("[:\\[]", 2)[0];
                out.add(fd.getFileName() + " -> " + kind);
                if (!out.contains("* -> " + kind)) {
                    out.add("* -> " + kind);
                }
            }
        }
        return out;
    }
}
