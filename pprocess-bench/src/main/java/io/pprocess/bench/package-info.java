/**
 * JMH benchmarks of pprocess-java, each measured beside its baseline in the same run: channel
 * round trips against raw AF_UNIX ping-pong, streaming with and without acknowledgements,
 * child start against a bare JVM start, {@code pmap} against process-per-item,
 * the ray tracer's speedup against one thread and a fork-join pool, and the indexer by window.
 */
package io.pprocess.bench;
