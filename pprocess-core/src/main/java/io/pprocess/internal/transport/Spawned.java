package io.pprocess.internal.transport;

/**
 * A child process just started and the parent's end of its link.
 *
 * @param process the process
 * @param link the parent's end
 */
public record Spawned(ChildProcess process, Link link) {
}
