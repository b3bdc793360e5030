/**
 * Internal: what parent and child agree on byte for byte: the frame layout on every channel
 * (header, kinds, limits, greetings, codec ids: {@code Frames}), the kept workers' handshake
 * ({@code KeptProtocol}) and a child JVM's exit statuses ({@code ExitStatus}).
 */
package io.pprocess.internal.wire;
