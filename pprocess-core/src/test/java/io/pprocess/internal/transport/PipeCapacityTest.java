package io.pprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipe link grows its pipes for large messages only, and a refused growth changes nothing else. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeCapacityTest {

    /** Both pipes of {@code link} still hold {@code first} bytes, and no pipe of this process grew. */
    private static void assertUngrown(PipeLink link, int first) {
        assertThat(link.writePipeBytes()).isEqualTo(first);
        assertThat(link.readPipeBytes()).isEqualTo(first);
        assertThat(Posix.grownBytes()).isZero();
    }

    @Test
    void smallMessagesLeaveThePipesAsTheyWere() throws Exception {
        PipeLink[] p = PipeFixtures.linkPair();
        try {
            int first = p[0].writePipeBytes();
            assertThat(first).isPositive();
            for (int i = 0; i < 200; i++) {
                echo(p, 4096);
            }
            assertUngrown(p[0], first);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aLargeMessageGrowsBothPipesOfItsLinkAndCloseGivesTheBudgetBack() throws Exception {
        // The second end never grows a pipe, as a child's end cannot.
        PipeLink[] p = PipeFixtures.linkPair(PipeLink.LARGEST_PIPE_BYTES, 1);
        try {
            int first = p[0].writePipeBytes();
            assumeThat(first).as("default pipe size").isLessThan(PipeLink.LARGEST_PIPE_BYTES);
            echo(p, 300_000);
            // The message rounded up to a power of two: 512 KiB, for the pipe out and the one back.
            assertThat(p[0].writePipeBytes()).isEqualTo(512 * 1024);
            assertThat(p[0].readPipeBytes()).isEqualTo(512 * 1024);
            echo(p, 3 << 20);
            assertThat(p[0].writePipeBytes()).isEqualTo(PipeLink.LARGEST_PIPE_BYTES);
            assertThat(p[0].readPipeBytes()).isEqualTo(PipeLink.LARGEST_PIPE_BYTES);
            assertThat(Posix.grownBytes()).isEqualTo(2L * (PipeLink.LARGEST_PIPE_BYTES - first));
        } finally {
            p[0].close();
            p[1].close();
        }
        assertThat(Posix.grownBytes()).isZero();
    }

    @Test
    void aReaderThatFindsItsPipeFullDoublesIt() throws Exception {
        // The writer may not grow its pipe (as a child's end cannot): the reader does.
        PipeLink[] p = PipeFixtures.linkPair(1, PipeLink.LARGEST_PIPE_BYTES);
        try {
            int first = p[1].readPipeBytes();
            assumeThat(first).as("default pipe size").isLessThan(PipeLink.LARGEST_PIPE_BYTES);
            for (int size = first, round = 0; round < 2; size *= 2, round++) {
                // Exactly a pipeful: the write returns at once, and the read takes it all.
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                p[0].write(ByteBuffer.wrap(data));
                assertThat(readFully(p[1], size)).isEqualTo(data);
                assertThat(p[1].readPipeBytes()).isEqualTo(2 * size);
            }
            byte[] small = {1, 2, 3};
            p[0].write(ByteBuffer.wrap(small));
            assertThat(readFully(p[1], 3)).isEqualTo(small);
            assertThat(p[1].readPipeBytes()).isEqualTo(4 * first);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aRefusedGrowthLeavesTheLinkWorking() throws Exception {
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/fs/pipe-max-size")).get(0).trim());
        PipeLink[] p = PipeFixtures.linkPair(2 * max, 1);
        try {
            int first = p[0].writePipeBytes();
            int refused = Posix.growPipe(p[0].writeFd(), first, 2 * max);
            assumeThat(refused).as("the kernel refuses a pipe above pipe-max-size here").isEqualTo(-1);
            // Both pipes are refused at the first large message and stay as they are for good.
            echo(p, 2 * max + 12_345);
            echo(p, 2 * max);
            echo(p, 8);
            assertUngrown(p[0], first);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void directBuffersGoStraightThroughAGrownPipe() throws Exception {
        PipeLink[] p = PipeFixtures.linkPair(PipeLink.LARGEST_PIPE_BYTES, 1);
        try {
            byte[] data = new byte[700_001];
            new Random(7).nextBytes(data);
            ByteBuffer src = ByteBuffer.allocateDirect(data.length + 10);
            src.position(10);
            src.put(data).position(10);
            CompletableFuture<Void> out = CompletableFuture.runAsync(() -> {
                try {
                    p[0].write(src);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer dst = ByteBuffer.allocateDirect(data.length + 3);
            dst.position(3);
            while (dst.hasRemaining()) {
                assertThat(p[1].read(dst)).isPositive();
            }
            out.get(10, TimeUnit.SECONDS);
            assertThat(src.hasRemaining()).isFalse();
            byte[] got = new byte[data.length];
            dst.position(3).get(got);
            assertThat(Arrays.equals(got, data)).as("the bytes arrived intact").isTrue();
            assertThat(p[0].writePipeBytes()).isEqualTo(PipeLink.LARGEST_PIPE_BYTES);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    /** Sends {@code size} random bytes from p[0] to p[1], then back, and checks them. */
    private static void echo(PipeLink[] p, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        CompletableFuture<Void> out = CompletableFuture.runAsync(() -> write(p[0], data));
        byte[] there = readFully(p[1], size);
        out.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> back = CompletableFuture.runAsync(() -> write(p[1], there));
        byte[] home = readFully(p[0], size);
        back.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals(home, data)).as("the bytes came back intact").isTrue();
    }

    private static void write(PipeLink link, byte[] data) {
        try {
            link.write(ByteBuffer.wrap(data));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static byte[] readFully(PipeLink link, int size) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(size);
        while (in.hasRemaining()) {
            assertThat(link.read(in)).isPositive();
        }
        return in.array();
    }
}
