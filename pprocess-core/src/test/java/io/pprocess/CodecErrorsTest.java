package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What cannot be serialised fails at the call, naming the user's class, with a hint. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CodecErrorsTest {

    @Test
    void aTaskCapturingAThreadNamesTheTasksLambdaNotTheEnvelope() {
        Thread thread = new Thread(() -> { });
        assertThatThrownBy(() -> PProcess.start(c -> c.send(thread.getName())))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("cannot serialise the task (lambda " + CodecErrorsTest.class.getName()
                        + ".lambda$")
                .hasMessageContaining("java.lang.Thread stands for a resource of this process")
                .hasMessageNotContaining("Invocation");
    }

    @Test
    void anArgumentThatCannotBeSentIsNamedByItsPosition() {
        assertThatThrownBy(() -> PProcess.start((Channel c, Object a, Object b) -> c.send(b), "fine",
                new Thread(() -> { })))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("argument 2 (of class java.lang.Thread) of the task (lambda "
                        + CodecErrorsTest.class.getName());
    }

    @Test
    void aCapturedLambdaOfANonSerialisableTypeGetsAHint() {
        Runnable plain = () -> { };
        assertThatThrownBy(() -> PProcess.start(c -> plain.run()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("its target type must extend java.io.Serializable")
                .hasMessageContaining("(Runnable & Serializable)");
        Runnable serialisable = (Runnable & Serializable) () -> { };
        try (Channel ch = PProcess.start(c -> {
            serialisable.run();
            c.send("ran");
        })) {
            assertThat((String) ch.receive()).isEqualTo("ran");
        }
    }

    @Test
    void aJdkClassThatIsNeitherReadableNorSerializableIsRefusedWithTheReason() {
        WeakReference<String> weak = new WeakReference<>("x");
        assertThatThrownBy(() -> PProcess.start(c -> c.send(weak.get())))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.ref.WeakReference is a JDK class")
                .hasMessageContaining("not Serializable");
    }

    @Test
    void pmapOfAFunctionThatCannotBeSentFailsAtTheCallNamingTheFunction() {
        Thread thread = new Thread(() -> { });
        assertThatThrownBy(() -> PProcess.pmap((Integer x) -> x + thread.getName().length(), List.of(1, 2, 3)))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("cannot serialise the function of pmap (lambda "
                        + CodecErrorsTest.class.getName() + ".lambda$")
                .hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(() -> PProcess.pmap((Integer x) -> x + thread.getName().length(), List.of(1),
                ExchangeOptions.defaults().reuse(false)))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("cannot serialise the function of pmap");
    }
}
