package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks capturing JDK types round-trip to a child and back with no JVM option given (no
 * {@code --add-opens}). Surefire runs this class once per transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkTypesContractTest {

    enum Colour { RED, GREEN, BLUE }

    record Point(int x, int y, String label) {
    }

    /** Sends each value to a child, which sends it back with what it saw. */
    @Test
    void jdkValuesCapturedByATaskComeBackEqual() {
        AtomicInteger counter = new AtomicInteger(41);
        AtomicLong big = new AtomicLong(1L << 40);
        AtomicBoolean flag = new AtomicBoolean(true);
        AtomicReference<Point> ref = new AtomicReference<>(new Point(1, 2, "p"));
        AtomicIntegerArray ints = new AtomicIntegerArray(new int[] {3, 4});
        AtomicLongArray longs = new AtomicLongArray(new long[] {5, 6});
        LongAdder adder = new LongAdder();
        adder.add(7);
        DoubleAdder dadder = new DoubleAdder();
        dadder.add(1.5);
        ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>(Map.of("a", 1, "b", 2));
        ConcurrentSkipListMap<String, Integer> skip = new ConcurrentSkipListMap<>(Map.of("x", 9));
        ConcurrentSkipListSet<Integer> skipSet = new ConcurrentSkipListSet<>(List.of(3, 1, 2));
        CopyOnWriteArrayList<String> cow = new CopyOnWriteArrayList<>(List.of("c", "o", "w"));
        ConcurrentLinkedQueue<Integer> clq = new ConcurrentLinkedQueue<>(List.of(1, 2));
        ConcurrentLinkedDeque<Integer> cld = new ConcurrentLinkedDeque<>(List.of(3, 4));
        LinkedBlockingQueue<Integer> lbq = new LinkedBlockingQueue<>(List.of(5, 6));
        ArrayBlockingQueue<Integer> abq = new ArrayBlockingQueue<>(4, false, List.of(7, 8));
        Optional<String> some = Optional.of("some");
        OptionalInt someInt = OptionalInt.of(3);
        Instant instant = Instant.parse("2026-12-01T10:15:30.123456789Z");
        LocalDate date = LocalDate.of(2026, 12, 1);
        LocalDateTime dateTime = LocalDateTime.of(2026, 12, 1, 10, 15);
        ZonedDateTime zoned = ZonedDateTime.of(dateTime, ZoneId.of("Europe/Paris"));
        Duration duration = Duration.ofMillis(1234);
        EnumSet<Colour> colours = EnumSet.of(Colour.RED, Colour.BLUE);
        EnumMap<Colour, Integer> colourMap = new EnumMap<>(Map.of(Colour.GREEN, 2));
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(100);
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        BigDecimal decimal = new BigDecimal("12345678901234567890.000000001");
        BigInteger integer = new BigInteger("98765432109876543210");

        try (Channel ch = PProcess.start(c -> {
            counter.incrementAndGet();
            List<Object> back = new ArrayList<>();
            back.add(counter);
            back.add(big.get());
            back.add(flag.get());
            back.add(ref.get());
            back.add(ints.get(1));
            back.add(longs.get(1));
            back.add(adder.sum());
            back.add(dadder.sum());
            back.add(Map.copyOf(chm));
            back.add(skip.firstKey());
            back.add(List.copyOf(skipSet));
            back.add(List.copyOf(cow));
            back.add(List.copyOf(clq));
            back.add(List.copyOf(cld));
            back.add(List.copyOf(lbq));
            back.add(abq.remainingCapacity() + ":" + abq.peek());
            back.add(some);
            back.add(someInt);
            back.add(instant);
            back.add(date);
            back.add(dateTime);
            back.add(zoned);
            back.add(duration);
            back.add(colours);
            back.add(colourMap);
            back.add(bits);
            back.add(uuid);
            back.add(decimal);
            back.add(integer);
            back.add(Colour.GREEN);
            back.add(chm);
            back.add(abq);
            c.send(back);
        })) {
            List<Object> back = ch.receive();
            assertThat(((AtomicInteger) back.get(0)).get()).isEqualTo(42);
            assertThat(back.subList(1, 29)).containsExactly(1L << 40, true, new Point(1, 2, "p"), 4, 6L, 7L, 1.5,
                    Map.of("a", 1, "b", 2), "x", List.of(1, 2, 3), List.of("c", "o", "w"), List.of(1, 2),
                    List.of(3, 4), List.of(5, 6), "2:7", some, someInt, instant, date, dateTime, zoned, duration,
                    colours, colourMap, bits, uuid, decimal, integer);
            assertThat(back.get(29)).isEqualTo(Colour.GREEN);
            assertThat(back.get(30)).isInstanceOf(ConcurrentHashMap.class).isEqualTo(chm);
            assertThat(back.get(31)).isInstanceOf(ArrayBlockingQueue.class);
            assertThat(List.<Object>copyOf((ArrayBlockingQueue<?>) back.get(31))).containsExactly(7, 8);
        }
    }
}
