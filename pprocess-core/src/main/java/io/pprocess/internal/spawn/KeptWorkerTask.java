package io.pprocess.internal.spawn;

/**
 * The task of a kept worker as its starter sends it: a persistent child given this task serves
 * one job after another ({@code io.pprocess.internal.child.KeptWorkerServer}) instead of running a task of its own.
 */
public enum KeptWorkerTask {
    /** The only value. */
    SERVE
}
