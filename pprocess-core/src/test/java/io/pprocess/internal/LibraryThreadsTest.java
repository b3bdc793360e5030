package io.pprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LibraryThreadsTest {

    /** A host such as exec:java runs the program in a group of its own, which it destroys. */
    @Test
    void threadsMadeFromAProgramsGroupBelongToTheRootGroup() throws Exception {
        ThreadGroup program = new ThreadGroup("program");
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) { };
        CompletableFuture<Thread> made = new CompletableFuture<>();
        Thread main = new Thread(program, () -> made.complete(LibraryThreads.daemon(() -> { }, "library")), "main");
        main.setContextClassLoader(loader);
        main.start();
        Thread library = made.get();
        main.join();

        assertThat(library.getThreadGroup().getParent()).as("the root group").isNull();
        assertThat(library.getThreadGroup()).isNotSameAs(program);
        assertThat(library.isDaemon()).isTrue();
        assertThat(library.getName()).isEqualTo("library");
        assertThat(library.getContextClassLoader()).as("the creating thread's").isSameAs(loader);
    }
}
