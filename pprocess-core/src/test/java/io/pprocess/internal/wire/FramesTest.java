package io.pprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins the wire format: header size, kind numbers, and what a valid header is. */
class FramesTest {

    @Test
    void layoutAndKindsArePinned() {
        assertThat(Frames.HEADER_BYTES).isEqualTo(5);
        assertThat(new byte[] {Frames.HELLO, Frames.TASK, Frames.DATA, Frames.STREAM, Frames.ACK,
                Frames.FAILURE, Frames.END, Frames.PRIME}).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
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
        assertThat(Frames.checkHeader(4, (byte) 9)).contains("unknown frame kind 0x09");
        assertThat(Frames.checkHeader(3, Frames.ACK)).isEqualTo("ACK frame with a payload of 3 bytes");
        assertThat(Frames.checkHeader(1, Frames.END)).isEqualTo("END frame with a payload of 1 bytes");
    }

    @Test
    void kindsHaveNames() {
        assertThat(Frames.kindName(Frames.DATA)).isEqualTo("DATA");
        assertThat(Frames.kindName(Frames.END)).isEqualTo("END");
        assertThat(Frames.kindName(Frames.PRIME)).isEqualTo("PRIME");
        assertThat(Frames.kindName((byte) 0x7f)).isEqualTo("0x7f");
    }
}
