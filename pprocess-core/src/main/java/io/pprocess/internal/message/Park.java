package io.pprocess.internal.message;

/** Tells a worker to wait, warm, for a {@link Rebind} instead of ending. */
public enum Park {
    /** The only value. */
    INSTANCE
}
