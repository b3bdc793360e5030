package io.pprocess.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VarintsTest {

    @Test
    void packsSmallIntsIntoFewBytesAndBack() {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, 2_000_000, Integer.MAX_VALUE, 5};
        byte[] packed = Varints.encode(values, values.length);
        assertThat(packed).hasSize(1 + 1 + 1 + 2 + 2 + 3 + 3 + 5 + 1);
        assertThat(Varints.decode(packed, values.length)).containsExactly(values);
    }

    @Test
    void encodesOnlyTheFirstCountInts() {
        assertThat(Varints.decode(Varints.encode(new int[] {300, 7, 9}, 2), 2)).containsExactly(300, 7);
        assertThat(Varints.encode(new int[] {1}, 0)).isEmpty();
    }

    @Test
    void refusesNegativeIntsAndMalformedBytes() {
        assertThatThrownBy(() -> Varints.encode(new int[] {4, -1}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative value at index 1: -1");
        byte[] three = Varints.encode(new int[] {1, 2, 3}, 3);
        assertThatThrownBy(() -> Varints.decode(three, 4))
                .hasMessage("malformed ints: 4 expected, bytes end or overflow at int 3");
        assertThatThrownBy(() -> Varints.decode(three, 2))
                .hasMessage("malformed ints: 1 bytes left after 2 ints");
        assertThatThrownBy(() -> Varints.decode(new byte[] {-1, -1, -1, -1, -1, 1}, 1))
                .hasMessage("malformed ints: 1 expected, bytes end or overflow at int 0");
    }
}
