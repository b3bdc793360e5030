package io.pprocess.cluster;

import io.pprocess.CancelledException;
import java.util.OptionalInt;

/** The {@link CancelledException} of one item of a cancelled or closed cluster job. */
final class ItemCancelledException extends CancelledException {
    private static final long serialVersionUID = 1L;

    private final int item;

    ItemCancelledException(String message, int item) {
        super(message);
        this.item = item;
    }

    @Override
    public OptionalInt item() {
        return item < 0 ? OptionalInt.empty() : OptionalInt.of(item);
    }

    @Override
    public String getMessage() {
        return NodeFailure.prefix(item, super.getMessage());
    }
}
