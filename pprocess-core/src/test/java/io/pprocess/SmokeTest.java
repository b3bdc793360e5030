package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void echo() {
        long t0 = System.nanoTime();
        Channel ch = PProcess.start(c -> {
            int x = c.receive();
            c.send(x * 2);
        });
        long t1 = System.nanoTime();
        ch.send(21);
        int r = ch.receive();
        long t2 = System.nanoTime();
        System.out.printf("spawn %.1f ms, first exchange %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertThat(r).isEqualTo(42);
        ch.close();
    }
}
