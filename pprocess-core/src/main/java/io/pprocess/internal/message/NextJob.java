package io.pprocess.internal.message;

/**
 * The arguments of the next job, sent to a reusable child over its channel. Anything else
 * sent there tells it to stop.
 *
 * @param args the arguments
 */
public record NextJob(Object[] args) {
}
