package io.pprocess.bench;

import java.util.SplittableRandom;

/** Benchmark payloads: random bytes from a fixed seed, and a cheap check of an echoed copy. */
final class Payloads {

    private Payloads() {
    }

    /**
     * Returns {@code size} pseudo-random bytes, the same for every run.
     *
     * @param size the length, at least 1
     * @return the bytes
     */
    static byte[] of(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("payload size < 1: " + size);
        }
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }

    /**
     * Checks that {@code echoed} has the length of {@code sent} and the same first, middle and
     * last bytes; comparing every byte would add a visible share to the large sizes.
     *
     * @param sent what was sent
     * @param echoed what came back
     * @throws IllegalStateException if they differ
     */
    static void checkEcho(byte[] sent, byte[] echoed) {
        if (echoed == null || echoed.length != sent.length) {
            throw new IllegalStateException("sent " + sent.length + " bytes but the echo has "
                    + (echoed == null ? "null" : echoed.length + " bytes"));
        }
        int last = sent.length - 1;
        int middle = sent.length / 2;
        if (echoed[0] != sent[0] || echoed[middle] != sent[middle] || echoed[last] != sent[last]) {
            throw new IllegalStateException("the echo of " + sent.length + " bytes differs from what was sent");
        }
    }
}
