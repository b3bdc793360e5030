/**
 * JMH benchmarks of pprocess-java, each measured beside its baseline in the same run: channel
 * round trips against raw AF_UNIX ping-pong, streaming with and without acknowledgements,
 * child start against a bare JVM start, and {@code pmap} against process-per-item.
 */
package io.pprocess.bench;
