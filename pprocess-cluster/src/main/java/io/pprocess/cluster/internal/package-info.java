/**
 * Internal to pprocess-cluster: the messages between drivers and nodes and their Hazelcast
 * serialisation ({@code Serial}, {@code Wire}), authentication ({@code Auth}, {@code Secret}),
 * the shipped class path ({@code ClassPathBundle}), what a node does with chunks
 * ({@code NodeService}) and the job hosts that run them ({@code JobHost}, {@code JobHostProcess}),
 * and local nodes for tests and benchmarks ({@code LocalNodes}).
 */
package io.pprocess.cluster.internal;
