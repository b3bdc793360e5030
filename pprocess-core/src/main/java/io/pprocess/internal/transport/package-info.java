/**
 * Internal: the socket and pipe transports, their links, pollers and child processes.
 */
package io.pprocess.internal.transport;
