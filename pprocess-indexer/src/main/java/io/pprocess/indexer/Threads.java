package io.pprocess.indexer;

/** Waiting for the indexer's own threads. */
final class Threads {
    private Threads() {
    }

    /**
     * Waits until every one of {@code threads} has ended, however often the caller is
     * interrupted meanwhile; an interrupt is kept for the caller (its flag is set again on
     * return).
     *
     * @param threads the threads, started or not
     */
    static void joinAll(Thread... threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
