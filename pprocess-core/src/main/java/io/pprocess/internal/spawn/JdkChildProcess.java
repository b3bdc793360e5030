package io.pprocess.internal.spawn;

import io.pprocess.internal.channel.ChildProcess;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A child started with {@link ProcessBuilder}; the JDK reaps it. */
final class JdkChildProcess implements ChildProcess {
    private final Process process;

    JdkChildProcess(Process process) {
        this.process = process;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public OptionalInt waitFor(long timeoutMillis) throws InterruptedException {
        if (timeoutMillis < 0) {
            return OptionalInt.of(process.waitFor());
        }
        if (process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }
}
