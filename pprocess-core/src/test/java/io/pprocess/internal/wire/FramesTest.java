package io.pprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the wire format: header size, kind numbers, and what a valid header is. */
class FramesTest {

    @Test
    void layoutAndKindsArePinned() {
        assertThat(Frames.HEADER_BYTES).isEqualTo(5);
        assertThat(new byte[] {Frames.HELLO, Frames.TASK, Frames.DATA, Frames.STREAM, Frames.ACK,
                Frames.FAILURE, Frames.END, Frames.PRIME, Frames.RAW, Frames.RAW_STREAM, Frames.WITHDRAWN})
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(new byte[] {Frames.RAW_BYTES, Frames.RAW_BUFFER, Frames.RAW_SHORTS, Frames.RAW_CHARS,
                Frames.RAW_INTS, Frames.RAW_LONGS, Frames.RAW_FLOATS, Frames.RAW_DOUBLES})
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Frames.TOKEN_BYTES).isEqualTo(16);
        assertThat(Frames.maxFrameBytes()).isEqualTo(Frames.DEFAULT_MAX_FRAME_BYTES).isEqualTo(256 << 20);
    }

    @Test
    void validHeadersPass() {
        assertThat(Frames.checkHeader(0, Frames.ACK)).isNull();
        assertThat(Frames.checkHeader(0, Frames.END)).isNull();
        assertThat(Frames.checkHeader(10, Frames.DATA)).isNull();
        assertThat(Frames.checkHeader(10, Frames.PRIME)).isNull();
        assertThat(Frames.checkHeader(Frames.maxFrameBytes(), Frames.STREAM)).isNull();
    }

    @Test
    void badHeadersAreNamed() {
        assertThat(Frames.checkHeader(-1, Frames.DATA)).contains("frame length 4294967295 is outside 0..");
        assertThat(Frames.checkHeader(Frames.maxFrameBytes() + 1, Frames.DATA)).contains("pprocess.maxFrameBytes");
        assertThat(Frames.checkHeader(4, (byte) 0x47)).contains("unknown frame kind 0x47");
        assertThat(Frames.checkHeader(4, (byte) 0)).contains("unknown frame kind 0x00");
        assertThat(Frames.checkHeader(4, (byte) 12)).contains("unknown frame kind 0x0c");
        assertThat(Frames.checkHeader(2, Frames.WITHDRAWN)).isEqualTo("WITHDRAWN frame with a payload of 2 bytes");
        assertThat(Frames.checkHeader(3, Frames.ACK)).isEqualTo("ACK frame with a payload of 3 bytes");
        assertThat(Frames.checkHeader(1, Frames.END)).isEqualTo("END frame with a payload of 1 bytes");
    }

    @Test
    void tooLargeNamesTheLimitAndTheProperty() {
        assertThat(Frames.tooLarge("message a byte[] of 300 elements"))
                .contains("exceeds the maximum frame size of 268435456 bytes (256 MiB)")
                .contains("-Dpprocess.maxFrameBytes=").contains("PPROCESS_MAX_FRAME_BYTES");
    }

    @Test
    void kindsHaveNames() {
        assertThat(Frames.kindName(Frames.DATA)).isEqualTo("DATA");
        assertThat(Frames.kindName(Frames.END)).isEqualTo("END");
        assertThat(Frames.kindName(Frames.PRIME)).isEqualTo("PRIME");
        assertThat(Frames.kindName(Frames.RAW)).isEqualTo("RAW");
        assertThat(Frames.kindName(Frames.RAW_STREAM)).isEqualTo("RAW_STREAM");
        assertThat(Frames.kindName((byte) 0x7f)).isEqualTo("0x7f");
    }
}
