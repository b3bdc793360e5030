package io.pprocess.bench;

import io.pprocess.PProcess;

/**
 * Chooses the pprocess transport for this JVM from a benchmark parameter.
 *
 * <p>pprocess reads {@code pprocess.transport} once per JVM, at its first start. JMH runs each
 * parameter combination in a fresh fork, so setting the property in a {@code Level.Trial}
 * setup, before any start, is enough; running in the JMH JVM itself ({@code -f 0}) with more
 * than one transport is refused instead of silently measuring the first one twice.
 */
final class TransportChoice {
    private static String chosen;

    private TransportChoice() {
    }

    /**
     * Sets {@code pprocess.transport} for this JVM.
     *
     * @param name {@code socket} or {@code pipe}
     * @throws IllegalStateException if another transport was already chosen in this JVM
     */
    static synchronized void use(String name) {
        if (chosen != null && !chosen.equals(name)) {
            throw new IllegalStateException("transport '" + name + "' requested, but this JVM already uses '"
                    + chosen + "': pprocess picks its transport once per JVM, so run each transport in its"
                    + " own fork (not -f 0)");
        }
        chosen = name;
        System.setProperty("pprocess.transport", name);
    }

    /**
     * Checks, after the first start, that pprocess really uses the chosen transport.
     *
     * @param name the expected transport
     * @throws IllegalStateException if it uses another one
     */
    static void verify(String name) {
        String actual = PProcess.transport();
        if (!actual.equals(name)) {
            throw new IllegalStateException("benchmark asked for transport '" + name + "' but pprocess uses '"
                    + actual + "'");
        }
    }
}
