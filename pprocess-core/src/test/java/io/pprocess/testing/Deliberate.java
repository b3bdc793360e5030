package io.pprocess.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Labels, in the build log, the output of a child process that a test makes fail on purpose:
 * the label goes straight to this JVM's standard error, the descriptor the child inherits, so
 * that it comes right before the child's own lines.
 */
public final class Deliberate {
    private Deliberate() {
    }

    /**
     * Writes {@code [deliberate failure] TEST: WHAT} on a line of its own.
     *
     * @param test the test
     * @param what what fails and what it prints
     */
    public static void announce(String test, String what) {
        try {
            FileOutputStream err = new FileOutputStream(FileDescriptor.err);
            err.write(("[deliberate failure] " + test + ": " + what + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
