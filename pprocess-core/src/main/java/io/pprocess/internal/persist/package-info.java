/**
 * Internal: persistent processes reachable through a UNIX-domain socket address, their handshake and peer checks.
 */
package io.pprocess.internal.persist;
