package io.pprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: header size, kind numbers, what a valid header is, and the exact bytes
 * of the frames and greetings that are built without the codec.
 */
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

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static byte[] hex(String digits) {
        return java.util.HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    @Test
    void offsetsArePinned() {
        assertThat(Frames.LENGTH_OFFSET).isZero();
        assertThat(Frames.KIND_OFFSET).isEqualTo(4);
        assertThat(Frames.PAYLOAD_OFFSET).isEqualTo(5);
        assertThat(Frames.HELLO_BYTES).isEqualTo(21);
        assertThat(Frames.MAX_REFUSAL_BYTES).isEqualTo(1 << 20);
        assertThat(Frames.TOKEN_ENV).isEqualTo("PPROCESS_TOKEN");
    }

    @Test
    void emptyFramesAreGolden() {
        assertThat(Frames.emptyFrame(Frames.ACK)).containsExactly(hex("00000000 05"));
        assertThat(Frames.emptyFrame(Frames.END)).containsExactly(hex("00000000 07"));
        assertThat(Frames.emptyFrame(Frames.WITHDRAWN)).containsExactly(hex("00000000 0b"));
        assertThatThrownBy(() -> Frames.emptyFrame(Frames.DATA))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("DATA frames have a payload");
    }

    @Test
    void headersAreBigEndianWhateverTheBufferOrder() {
        byte[] frame = new byte[8];
        Frames.seal(frame, 8, Frames.DATA);
        assertThat(frame).startsWith(hex("00000003 03"));
        Frames.putHeader(frame, 0x01020304, Frames.FAILURE);
        assertThat(frame).startsWith(hex("01020304 06"));

        ByteBuffer little = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        Frames.putHeader(little, 0x0a0b0c0d, Frames.RAW).put(Frames.RAW_INTS);
        assertThat(little.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(little.array()).containsExactly(hex("0a0b0c0d 09 05"));
        assertThat(Frames.length(little, 0)).isEqualTo(0x0a0b0c0d);
        assertThat(Frames.kind(little, 0)).isEqualTo(Frames.RAW);
        ByteBuffer shifted = ByteBuffer.wrap(hex("ff 00000102 03"));
        assertThat(Frames.length(shifted, 1)).isEqualTo(0x102);
        assertThat(Frames.kind(shifted, 1)).isEqualTo(Frames.DATA);
    }

    @Test
    void childGreetingIsGolden() {
        byte[] token = hex("000102030405060708090a0b0c0d0e0f");
        ByteBuffer hello = Frames.childHello(token);
        assertThat(bytes(hello)).containsExactly(hex("00000010 01 000102030405060708090a0b0c0d0e0f"));
        assertThat(Frames.childToken(hello)).containsExactly(token);
        assertThat(Frames.tokenText(token)).isEqualTo("000102030405060708090a0b0c0d0e0f");
        assertThat(Frames.tokenFromText("000102030405060708090a0b0c0d0e0f")).containsExactly(token);
    }

    @Test
    void wrongChildGreetingsHaveNoToken() {
        byte[] good = bytes(Frames.childHello(new byte[16]));
        byte[] wrongKind = good.clone();
        wrongKind[Frames.KIND_OFFSET] = Frames.DATA;
        byte[] wrongLength = good.clone();
        wrongLength[3] = 15;
        assertThat(Frames.childToken(ByteBuffer.wrap(wrongKind))).isNull();
        assertThat(Frames.childToken(ByteBuffer.wrap(wrongLength))).isNull();
        assertThat(Frames.childToken(ByteBuffer.wrap(Arrays.copyOf(good, 20)))).isNull();
        assertThatThrownBy(() -> Frames.tokenFromText("zz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PPROCESS_TOKEN is not hexadecimal");
        assertThatThrownBy(() -> Frames.tokenFromText("0011"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("PPROCESS_TOKEN has 2 bytes, not 16: 0011");
        assertThat(Frames.newToken()).hasSize(16).isNotEqualTo(Frames.newToken());
    }

    @Test
    void persistentGreetingIsGolden() {
        ByteBuffer hello = Frames.persistentHello(0x0102030405060708L);
        assertThat(bytes(hello)).containsExactly(hex("00000010 01 5050524f43455353 0102030405060708"));
        assertThat(Frames.persistentHelloPid(hello)).isEqualTo(0x0102030405060708L);

        ByteBuffer partial = ByteBuffer.allocate(Frames.HELLO_BYTES);
        partial.put(hex("00000010 01 5050"));
        assertThat(Frames.isPersistentHelloPrefix(partial)).isTrue();
        partial.put((byte) 'X');
        assertThat(Frames.isPersistentHelloPrefix(partial)).isFalse();
        ByteBuffer childHello = Frames.childHello(new byte[16]);
        assertThat(Frames.persistentHelloPid(childHello)).isEqualTo(-1);
        assertThat(Frames.persistentHelloPid(ByteBuffer.wrap(hex("00000010 01 5050")))).isEqualTo(-1);
    }
}
