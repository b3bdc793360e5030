package io.pprocess.internal.message;

/**
 * Where and how a persistent child serves its channel.
 *
 * @param address the socket file path
 * @param idleMillis how long it waits for a peer before it gives up and exits
 */
public record PersistentSpec(String address, long idleMillis) {
}
