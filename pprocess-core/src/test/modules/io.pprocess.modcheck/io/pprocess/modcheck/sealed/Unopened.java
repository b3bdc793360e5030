package io.pprocess.modcheck.sealed;

import io.pprocess.SerializableFunction;

/**
 * A value of a package that its module opens to nobody.
 *
 * @param text some text
 */
public record Unopened(String text) {
    /** @return a function defined in this package */
    public static SerializableFunction<Integer, Integer> doubler() {
        return x -> x * 2;
    }
}
