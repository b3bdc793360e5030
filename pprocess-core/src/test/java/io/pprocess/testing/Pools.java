package io.pprocess.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pprocess.ChildProcessException;
import io.pprocess.MapExchange;
import io.pprocess.PProcessException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the pool, exchange and executor suites give their jobs and read back: item lists, a
 * sleep that needs no {@code throws}, a job that fills its heap, a failed future's cause, and a
 * map's results and failures by index. The jobs run in children, which have this class on
 * their class path.
 */
public final class Pools {
    private Pools() {
    }

    /**
     * Returns the items 0 to {@code n - 1}.
     *
     * @param n how many
     * @return the items, in order
     */
    public static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /**
     * Sleeps; an interrupt becomes an {@link IllegalStateException}.
     *
     * @param millis how long
     */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fills and holds 400 MiB of heap, every page written so that it is resident, then sleeps
     * 30 s: a job that a 300 MiB resident-set limit must end.
     *
     * @return the MiB held, if nothing ended it
     */
    public static int holdFourHundredMegabytes() {
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] b = new byte[1 << 20];
            java.util.Arrays.fill(b, (byte) 1);
            held.add(b);
        }
        sleep(30_000);
        return held.size();
    }

    /**
     * Waits for a future that must fail and returns why.
     *
     * @param future the future
     * @return the cause of its {@link ExecutionException}
     * @throws InterruptedException if interrupted while waiting
     */
    public static Throwable causeOf(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future succeeded");
    }

    /**
     * Reads the first {@code n} results of a map, values and failures by index; a failure must
     * name its index, and nothing but a {@link PProcessException} may be thrown.
     *
     * @param map the map
     * @param n how many to read
     * @return each index's value or failure
     */
    public static Map<Integer, Object> readAll(MapExchange<?> map, int n) {
        Map<Integer, Object> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            try {
                out.put(i, map.get(i));
            } catch (PProcessException e) {
                assertThat(e.item()).as("failure of item %d names it", i).hasValue(i);
                out.put(i, e);
            }
        }
        return out;
    }

    /**
     * Reads every result of an exchange in the order its iterator gives them, putting what
     * {@code failed} makes of a child's failure (after its own assertions) in that result's place.
     *
     * @param results the exchange
     * @param failed what to record for a failure
     * @return the results and the records of failures, in order
     */
    public static List<Object> drain(Iterable<?> results, Function<ChildProcessException, Object> failed) {
        List<Object> seen = new ArrayList<>();
        Iterator<?> it = results.iterator();
        while (it.hasNext()) {
            try {
                seen.add(it.next());
            } catch (ChildProcessException e) {
                seen.add(failed.apply(e));
            }
        }
        return seen;
    }
}
