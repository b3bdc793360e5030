/**
 * Internal: Kryo encoding of tasks, results, failures and lambdas.
 */
package io.pprocess.internal.codec;
