/**
 * Internal: the messages and worker bookkeeping behind reused processes and {@code pmap}.
 */
package io.pprocess.internal.exchange;
