package io.pprocess.internal.keep;

/**
 * The task of a kept worker as its starter sends it: a persistent child given this task serves
 * one job after another ({@link KeptWorkerServer}) instead of running a task of its own.
 */
public enum KeptWorkerTask {
    /** The only value. */
    SERVE
}
