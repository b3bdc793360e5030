/**
 * Internal: the frame layout on every channel (header, kinds, limits).
 */
package io.pprocess.internal.wire;
