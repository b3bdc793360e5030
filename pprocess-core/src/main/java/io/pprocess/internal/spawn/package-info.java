/**
 * Internal: how child JVMs are started (the transports' spawns, the process handles they return,
 * the command line, spare and kept children, class-data sharing); the one package that starts processes.
 */
package io.pprocess.internal.spawn;
