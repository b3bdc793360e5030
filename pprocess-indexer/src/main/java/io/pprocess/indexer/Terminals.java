package io.pprocess.indexer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Tells whether this process's standard streams are terminals: from the descriptor's entry in
 * {@code /proc/self/fd} where there is one (no process started), else through JLine's exec
 * provider, which runs {@code test -t} (a child process, about 65 ms in a new JVM).
 */
final class Terminals {
    private static final int DEFAULT_WIDTH = 80;

    private Terminals() {
    }

    /**
     * Tells whether a standard stream of this process is a terminal.
     *
     * @param stream the stream
     * @return whether it is; false when that cannot be found out
     */
    static boolean isTerminal(SystemStream stream) {
        Boolean linked = linkedToTerminal(Path.of("/proc/self/fd", Integer.toString(descriptor(stream))));
        if (linked != null) {
            return linked;
        }
        TerminalProvider provider = provider();
        return provider != null && provider.isSystemStream(stream);
    }

    /**
     * Returns the width of a terminal stream.
     *
     * @param stream the stream
     * @return its width in columns, or 80 when unknown
     */
    static int width(SystemStream stream) {
        TerminalProvider provider = provider();
        if (provider == null) {
            return DEFAULT_WIDTH;
        }
        int w = provider.systemStreamWidth(stream);
        return w > 0 ? w : DEFAULT_WIDTH;
    }

    private static int descriptor(SystemStream stream) {
        return switch (stream) {
            case Input -> 0;
            case Output -> 1;
            case Error -> 2;
        };
    }

    /**
     * Tells whether a descriptor's {@code /proc} link names a terminal device.
     *
     * @param link the descriptor's entry, such as {@code /proc/self/fd/2}
     * @return whether it names a pseudo-terminal, a {@code /dev/tty*} device or the console;
     *     {@code null} when the link cannot be read
     */
    static Boolean linkedToTerminal(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[^/]*") || target.equals("/dev/console");
    }

    private static TerminalProvider provider() {
        try {
            return TerminalProvider.load("exec");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
