package io.pprocess.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.ProcessExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The executors a test started, ended after it: each is shut down now and must terminate within
 * 20 s, so that no child outlives its test. Register it as a field
 * ({@code @RegisterExtension final TrackedExecutors executors = new TrackedExecutors();}) and
 * start executors through {@link #track}.
 */
public final class TrackedExecutors implements AfterEachCallback {
    private final List<ProcessExecutor> started = new ArrayList<>();

    /**
     * @param executor an executor the test started
     * @return the same executor
     */
    public ProcessExecutor track(ProcessExecutor executor) {
        started.add(executor);
        return executor;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            for (ProcessExecutor e : started) {
                e.shutdownNow();
                assertThat(e.awaitTermination(20, TimeUnit.SECONDS)).as("terminated: " + e).isTrue();
            }
        } finally {
            started.clear();
        }
    }
}
