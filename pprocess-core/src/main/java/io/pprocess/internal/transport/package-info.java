/**
 * Internal: the socket and pipe transports' links and pollers, each transport's parent and child
 * halves side by side (the socket rendezvous, the pipes a child gets); no process is started here.
 */
package io.pprocess.internal.transport;
