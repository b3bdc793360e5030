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
        assertThat(Varints.decode(packed, 0, packed.length)).containsExactly(values);
    }

    @Test
    void encodesOnlyTheFirstCountInts() {
        byte[] two = Varints.encode(new int[] {300, 7, 9}, 2);
        assertThat(Varints.decode(two, 0, two.length)).containsExactly(300, 7);
        assertThat(Varints.encode(new int[] {1}, 0)).isEmpty();
    }

    @Test
    void refusesNegativeIntsAndMalformedBytes() {
        assertThatThrownBy(() -> Varints.encode(new int[] {4, -1}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative value at index 1: -1");
        byte[] three = Varints.encode(new int[] {1, 200, 3}, 3);
        assertThatThrownBy(() -> Varints.decode(three, 0, 2))
                .hasMessage("malformed ints: the range 0..2 ends inside int 1 or it overflows");
        assertThatThrownBy(() -> Varints.decode(three, 0, 5)).hasMessage("range 0..5 is outside the 4 bytes");
        assertThatThrownBy(() -> Varints.decode(new byte[] {-1, -1, -1, -1, -1, 1}, 0, 6))
                .hasMessage("malformed ints: the range 0..6 ends inside int 0 or it overflows");
        assertThatThrownBy(() -> Varints.encode(new int[] {1, 2}, 2, new int[] {2, 1}))
                .hasMessage("ends must ascend from 0 to 2: 1 after 2");
    }

    @Test
    void turnsIntEndsIntoByteEndsSoEachRangeDecodesAlone() {
        int[] values = {1, 300, 2, 70_000, 5};
        int[] ends = {2, 2, 4, 5};
        byte[] packed = Varints.encode(values, values.length, ends);
        assertThat(ends).containsExactly(3, 3, 7, 8);
        assertThat(Varints.decode(packed, 0, 3)).containsExactly(1, 300);
        assertThat(Varints.decode(packed, 3, 3)).isEmpty();
        assertThat(Varints.decode(packed, 3, 7)).containsExactly(2, 70_000);
        assertThat(Varints.decode(packed, 7, 8)).containsExactly(5);
    }
}
