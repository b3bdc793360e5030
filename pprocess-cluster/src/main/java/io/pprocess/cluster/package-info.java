/**
 * pprocess across machines, through Hazelcast: {@link io.pprocess.cluster.Cluster} (a driver's
 * connection to the nodes), its {@code pmap} ({@link io.pprocess.cluster.ClusterMap}), queue
 * ({@link io.pprocess.cluster.ClusterQueue}) and executor ({@link io.pprocess.cluster.ClusterExecutor}),
 * their options and exceptions, and {@link io.pprocess.cluster.PProcessNode}, the node program.
 * Built on pprocess-core's public API only.
 */
package io.pprocess.cluster;
