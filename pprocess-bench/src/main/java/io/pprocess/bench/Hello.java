package io.pprocess.bench;

/**
 * The smallest Java program: the bare JVM start that {@link StartBenchmark} compares child
 * starts with. Prints {@code hello} so the benchmark can check that it ran.
 */
public final class Hello {

    private Hello() {
    }

    /**
     * Prints {@code hello}.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
