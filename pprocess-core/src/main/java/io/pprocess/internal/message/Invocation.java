package io.pprocess.internal.message;

/**
 * The first message to a child: what it runs, and with which arguments.
 *
 * @param task a {@code ChannelTask}, {@code ChannelTask1..3}
 * @param args the arguments (none for a {@code ChannelTask})
 * @param persistent where a persistent child serves its channel, or {@code null} for an
 *     ordinary child
 */
public record Invocation(Object task, Object[] args, PersistentSpec persistent) {
}
