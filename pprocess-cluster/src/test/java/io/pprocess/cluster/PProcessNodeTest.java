package io.pprocess.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PProcessNodeTest {

    @Test
    void thePinnedOptionsAreRead() {
        PProcessNode.Options o = PProcessNode.Options.parse(new String[] {"--cluster", "c", "--members",
                "127.0.0.1:5701,127.0.0.1:5702", "--bind", "10.0.0.5", "--port", "5800", "--secret-file", "s",
                "--workers", "3"});
        assertThat(o.cluster).isEqualTo("c");
        assertThat(o.members).isEqualTo(List.of("127.0.0.1:5701", "127.0.0.1:5702"));
        assertThat(o.bind).isEqualTo("10.0.0.5");
        assertThat(o.port).isEqualTo(5800);
        assertThat(o.secretFile).isEqualTo(Path.of("s"));
        assertThat(o.workers).isEqualTo(3);
    }

    @Test
    void theDefaultsBindLoopback() {
        PProcessNode.Options o = PProcessNode.Options.parse(new String[] {"--cluster=c", "--secret-file=s"});
        assertThat(o.bind).isEqualTo("127.0.0.1");
        assertThat(o.port).isEqualTo(5701);
        assertThat(o.members).isEmpty();
        assertThat(o.workers).isPositive();
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--secret-file", "s"}))
                .hasMessage("--cluster NAME is required");
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--cluster", "c"}))
                .hasMessage("--secret-file FILE is required");
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--cluster", "c", "--port", "0"}))
                .hasMessage("--port must be a number in 1..65535: 0");
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--cluster", "c", "--members", "host"}))
                .hasMessage("member address must be HOST:PORT: host");
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--colour"}))
                .hasMessage("unknown option: --colour");
        assertThatThrownBy(() -> PProcessNode.Options.parse(new String[] {"--cluster"}))
                .hasMessage("--cluster needs a value");
    }

    @Test
    void clusterOptionsCheckTheirValues() {
        assertThatThrownBy(() -> ClusterOptions.cluster(" ")).hasMessage("cluster name is empty");
        assertThatThrownBy(() -> ClusterOptions.cluster("c").members("h:99999")).hasMessage("member port out of 1..65535: h:99999");
        assertThatThrownBy(() -> ClusterOptions.cluster("c").retries(-1)).hasMessage("retries < 0: -1");
        assertThat(ClusterOptions.cluster("c").members("a:1, b:2", "c:3").memberAddresses()).containsExactly("a:1", "b:2", "c:3");
        assertThatThrownBy(() -> Cluster.connect(ClusterOptions.cluster("c"))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("no secret file given");
    }
}
