package io.pprocess;

/** A job's failure kept in place of its result by {@link MapExchange} and {@link QueueExchange}. */
final class ItemFailure {
    final PProcessException failure;

    private ItemFailure(PProcessException failure) {
        this.failure = failure;
    }

    /**
     * Records a failure for an item.
     *
     * @param failure what went wrong
     * @param item the item's index
     * @return the failure to keep
     */
    static ItemFailure of(RuntimeException failure, int item) {
        PProcessException e = failure instanceof PProcessException ? (PProcessException) failure
                : new PProcessException(failure.toString(), failure);
        e.setItem(item);
        return new ItemFailure(e);
    }
}
