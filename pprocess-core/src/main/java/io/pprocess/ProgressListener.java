package io.pprocess;

/**
 * Receives a {@code pmap}'s progress ({@link PoolOptions#progress}). It is called on the thread
 * that reads the map, at most about ten times a second and once more, with
 * {@link Progress#finished()} true, when every item has a result (or the map is closed).
 * Each {@link Progress} is an immutable value: hand it to any thread (a user interface, a
 * metrics reporter). A listener shared by several maps read on several threads must be
 * thread-safe ({@link ConsoleProgress} is). What the listener throws propagates to the reader.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Takes the latest figures.
     *
     * @param progress where the map stands
     */
    void onProgress(Progress progress);
}
