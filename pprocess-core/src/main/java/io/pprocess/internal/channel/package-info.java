/**
 * Internal: the framed, acknowledged channel that implements {@code Channel} over any transport's link.
 */
package io.pprocess.internal.channel;
