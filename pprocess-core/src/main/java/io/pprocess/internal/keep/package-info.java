/**
 * Internal: workers kept running between programs of the same build (the program's side,
 * the worker's side, their handshake and the listing command).
 */
package io.pprocess.internal.keep;
