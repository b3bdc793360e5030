package io.pprocess.internal.spawn;

import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.transport.Link;

/**
 * A child process just started and the parent's end of its link.
 *
 * @param process the process
 * @param link the parent's end
 */
record Spawned(ChildProcess process, Link link) {
}
