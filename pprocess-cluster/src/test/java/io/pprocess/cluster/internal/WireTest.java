package io.pprocess.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void outcomesRoundTripWithTheirFailuresAndCauses() throws Exception {
        Exception cause = new IllegalStateException("inner");
        Exception e = new IllegalArgumentException("outer", cause);
        Wire.Failure failure = Wire.failureOf(e, 42, -1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(9);
        Wire.writeOutcomes(new DataOutputStream(bytes), List.of(
                new Wire.Outcome(Wire.OK, Wire.serialise(List.of("a", 1)), null),
                new Wire.Outcome(Wire.REMOTE, null, failure),
                new Wire.Outcome(Wire.CHILD, null, new Wire.Failure("x.Y", null, 7, 137, new StackTraceElement[0], null))));
        List<Wire.Outcome> back = Wire.readOutcomes(bytes.toByteArray(), 1);
        assertThat(back).hasSize(3);
        assertThat(Wire.deserialise(back.get(0).value(), getClass().getClassLoader())).isEqualTo(List.of("a", 1));
        Wire.Failure f = back.get(1).failure();
        assertThat(f.className()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(f.message()).isEqualTo("outer");
        assertThat(f.pid()).isEqualTo(42);
        assertThat(f.stack()).hasSameSizeAs(e.getStackTrace());
        assertThat(f.stack()[0].getMethodName()).isEqualTo("outcomesRoundTripWithTheirFailuresAndCauses");
        assertThat(f.stack()[0].getLineNumber()).isEqualTo(e.getStackTrace()[0].getLineNumber());
        assertThat(f.cause().className()).isEqualTo("java.lang.IllegalStateException");
        assertThat(f.cause().message()).isEqualTo("inner");
        assertThat(back.get(2).kind()).isEqualTo(Wire.CHILD);
        assertThat(back.get(2).failure().message()).isNull();
        assertThat(back.get(2).failure().exitStatus()).isEqualTo(137);
    }

    @Test
    void malformedOutcomesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> Wire.readOutcomes(new byte[] {0, 0, 0, 1, 9}, 0)).isInstanceOf(IOException.class)
                .hasMessage("malformed outcomes: kind 9");
        assertThatThrownBy(() -> Wire.readOutcomes(new byte[] {0, 0, 0, 1, 0, (byte) 0x7f, 0, 0, 0}, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("a length of");
    }

    @Test
    void aValueThatIsNotSerialisableIsNamed() {
        assertThatThrownBy(() -> Wire.serialise(new Object())).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
