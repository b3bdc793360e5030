/**
 * Internal: the framed, acknowledged channel that implements {@code Channel} over any transport's
 * link, and the handle of the process at its far end.
 */
package io.pprocess.internal.channel;
