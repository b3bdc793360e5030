package io.pprocess.examples.raytrace;

import io.pprocess.cluster.ClusterOptions;
import io.pprocess.examples.Cli;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@link RaytraceCluster}: the ray tracer's, and where the cluster is. */
public final class RaytraceClusterOptions implements Cli.Checked {

    @Mixin
    RaytraceOptions raytrace = new RaytraceOptions();

    @Option(names = "--cluster", paramLabel = "NAME", required = true,
            description = "the cluster's name, as its nodes were started with")
    String cluster;

    @Option(names = "--members", paramLabel = "HOST:PORT,...", required = true,
            description = "nodes to reach first, separated by commas")
    String members;

    @Option(names = "--secret-file", paramLabel = "FILE", required = true,
            description = "the cluster's shared secret (a file readable by its owner only)")
    Path secretFile;

    @Override
    public void check() {
        raytrace.check();
        cluster().members(members);
    }

    /** @return the options of the driver's connection */
    public ClusterOptions cluster() {
        ClusterOptions options = ClusterOptions.cluster(cluster);
        return members == null ? options : options.members(members).secretFile(secretFile);
    }
}
