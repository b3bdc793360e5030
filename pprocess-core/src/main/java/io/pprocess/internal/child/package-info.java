/**
 * Internal: the child JVM's entry point and its end of the pipe transport.
 */
package io.pprocess.internal.child;
