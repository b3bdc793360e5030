package io.pprocess.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Every {@code pprocess.*} system property the library reads, with the environment variable
 * that stands in for it where there is one: the one place where configuration is read and
 * parsed, so each key has one name, one default and one error message. Each constant is listed
 * in the configuration table of {@code docs/reference.md} (a test checks that the two agree).
 *
 * <p>A system property wins over its environment variable; a blank value counts as unset. A
 * value that cannot be parsed throws {@link IllegalArgumentException} naming the key and the
 * value, when the setting is first read.
 */
public enum Setting {
    /** The transport children are started on: {@code socket} or {@code pipe}. */
    TRANSPORT("pprocess.transport", "PPROCESS_TRANSPORT"),
    /** The class path of children, replacing the one discovered from this JVM. */
    CLASS_PATH("pprocess.classPath", "PPROCESS_CLASS_PATH"),
    /** Extra JVM options for children, separated by spaces. */
    JVM_OPTIONS("pprocess.jvmOptions", "PPROCESS_JVM_OPTIONS"),
    /** How many spare children to keep started. */
    SPARES("pprocess.spares", null),
    /** How long after a spare is taken its replacement starts, in milliseconds. */
    SPARE_REFILL_DELAY_MILLIS("pprocess.spareRefillDelayMillis", null),
    /** The most a spare may take to prepare itself before it is ended, in milliseconds. */
    SPARE_PREPARE_MILLIS("pprocess.sparePrepareMillis", null),
    /** The largest frame payload, in bytes (at least 1024). */
    MAX_FRAME_BYTES("pprocess.maxFrameBytes", "PPROCESS_MAX_FRAME_BYTES"),
    /**
     * How long a read on a socket channel polls for bytes before it sleeps, in microseconds
     * (0 never polls).
     */
    READ_SPIN_MICROS("pprocess.readSpinMicros", "PPROCESS_READ_SPIN_MICROS"),
    /** How long a new child may take to connect, in milliseconds. */
    CONNECT_TIMEOUT_MILLIS("pprocess.connectTimeoutMillis", null),
    /** How long to wait for a child's exit status once its channel has ended, in milliseconds. */
    EXIT_GRACE_MILLIS("pprocess.exitGraceMillis", null),
    /** Whether children use a class-data-sharing archive ({@code false} turns it off). */
    CDS("pprocess.cds", null),
    /**
     * Whether children on Java 25 and later use an ahead-of-time cache rather than the dynamic
     * archive ({@code false} keeps the dynamic archive).
     */
    AOT("pprocess.aot", null),
    /**
     * Set by the library on the one child recording an ahead-of-time configuration, which its
     * JVM writes at exit: an orphaned child's exit is given longer before it halts.
     */
    AOT_RECORDING("pprocess.aotRecording", null),
    /** How many warm {@code pmap} workers are kept between calls. */
    WARM_WORKERS("pprocess.warmWorkers", null),
    /** How long a warm {@code pmap} worker is kept, in milliseconds (0 keeps none). */
    WARM_WORKER_MILLIS("pprocess.warmWorkerMillis", null),
    /** How long a persistent process waits for a peer before it exits (ISO-8601). */
    IDLE_LIMIT("pprocess.idleLimit", null),
    /** How long {@code connectPersistent} waits for the persistent process's greeting, in milliseconds. */
    GREETING_MILLIS("pprocess.greetingMillis", null),
    /**
     * How long a peer of a persistent process may take to answer its greeting, and how long the
     * peer being served may stay silent while another waits, in milliseconds.
     */
    HANDSHAKE_MILLIS("pprocess.handshakeMillis", null),
    /** Whether and how long workers are kept between programs: a duration, or {@code off}. */
    KEEP_WORKERS("pprocess.keepWorkers", "PPROCESS_KEEP_WORKERS"),
    /** The base directory of kept workers. */
    KEPT_WORKERS_DIR("pprocess.keptWorkersDir", "PPROCESS_KEPT_WORKERS_DIR"),
    /** The most kept workers of one build. */
    KEPT_WORKERS_MAX("pprocess.keptWorkersMax", null);

    private final String key;
    private final String environment;

    Setting(String key, String environment) {
        this.key = key;
        this.environment = environment;
    }

    /**
     * The key read by two parts: the channel, for a child's exit status once its channel has
     * ended and for a child to exit after {@code close()}, and the exchange, for the exit status
     * of a continuous child.
     *
     * @return {@link #EXIT_GRACE_MILLIS}, 2000 by default
     */
    public static long exitGraceMillis() {
        return EXIT_GRACE_MILLIS.longValue(2000, 0);
    }

    /**
     * The key read by two parts: a program connecting to a persistent process, and either side
     * of a kept worker's handshake.
     *
     * @return {@link #GREETING_MILLIS}, 10000 by default
     */
    public static long greetingMillis() {
        return GREETING_MILLIS.longValue(10_000, 1);
    }

    /** @return the system property's name */
    public String key() {
        return key;
    }

    /** @return the environment variable that stands in for the property, or {@code null} */
    public String environment() {
        return environment;
    }

    /** @return the value as set, trimmed, or {@code null} when it is not set */
    public String raw() {
        String value = System.getProperty(key);
        if ((value == null || value.isBlank()) && environment != null) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** @return the value, or {@code fallback} when it is not set */
    public String string(String fallback) {
        String value = raw();
        return value == null ? fallback : value;
    }

    /** @return the value in lower case, or {@code fallback} when it is not set */
    public String lowerCase(String fallback) {
        return string(fallback).toLowerCase(Locale.ROOT);
    }

    /**
     * @return the value as a number, or {@code fallback} when it is not set
     * @throws IllegalArgumentException if it is not a whole number of at least {@code min}
     */
    public long longValue(long fallback, long min) {
        String value = raw();
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + value, e);
        }
        if (parsed < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ": " + value);
        }
        return parsed;
    }

    /**
     * @return the value as a number, or {@code fallback} when it is not set
     * @throws IllegalArgumentException if it is not a whole number from {@code min} to
     *     {@link Integer#MAX_VALUE}
     */
    public int intValue(int fallback, int min) {
        long value = longValue(fallback, min);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be at most " + Integer.MAX_VALUE + ": " + raw());
        }
        return (int) value;
    }

    /**
     * @return the value as a flag, or {@code fallback} when it is not set
     * @throws IllegalArgumentException if it is neither {@code true} nor {@code false}
     */
    public boolean flag(boolean fallback) {
        String value = raw();
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + " must be true or false: " + value);
    }

    /**
     * @return the value as an ISO-8601 duration, or {@code fallback} when it is not set
     * @throws IllegalArgumentException if it is not such a duration, or not positive
     */
    public Duration duration(Duration fallback) {
        String value = raw();
        if (value == null) {
            return fallback;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not an ISO-8601 duration such as PT10M: " + value, e);
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException(key + " must be positive: " + value);
        }
        return parsed;
    }
}
