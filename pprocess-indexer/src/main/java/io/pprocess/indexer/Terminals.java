package io.pprocess.indexer;

import java.io.IOException;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** Tells whether this process's standard streams are terminals, through JLine's exec provider. */
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

    private static TerminalProvider provider() {
        try {
            return TerminalProvider.load("exec");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
