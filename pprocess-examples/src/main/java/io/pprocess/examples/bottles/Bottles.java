package io.pprocess.examples.bottles;

import io.pprocess.Channel;
import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The "99 bottles" showcase of the Python concurrency SIG: follow several growing files like
 * {@code tail -f}, grep the new lines for patterns, print the matches.
 *
 * <p>A writer thread in the parent sings the song into {@code --files} files in a temporary
 * directory, a line at a time. One continuous child per file follows it and sends each new
 * line; one continuous child per {@code --pattern} receives every line from the parent and
 * sends back those that match; the parent, watching all of them through one continuous
 * {@link Exchange}, forwards lines to the greps and prints matches as
 * {@code [pattern] file:line: text}. When every follower has reached the end of its song the
 * parent tells the greps to stop (by sending {@code null}) and waits for the last matches.
 *
 * <p>Run: {@code bin/pprocess-example bottles [--bottles 99] [--files 3] [--delay 0.02] [--pattern REGEX]...}
 */
public final class Bottles {

    private final BottlesOptions options;
    private final boolean heartbeat;
    private final List<Channel> greps = new ArrayList<>();
    private int followers;

    private Bottles(BottlesOptions options, boolean heartbeat) {
        this.options = options;
        this.heartbeat = heartbeat;
    }

    /**
     * Runs the program.
     *
     * @param args the options, see {@link BottlesOptions}
     * @throws Exception if the files cannot be written
     */
    public static void main(String[] args) throws Exception {
        new Bottles(BottlesOptions.parse("bottles", args), false).run();
    }

    /**
     * Runs {@code bottles_heartbeat}: the same, plus a child that sends a heartbeat every
     * {@code --heartbeat} seconds, which the parent prints.
     *
     * @param args the options, see {@link BottlesOptions}
     * @throws Exception if the files cannot be written
     */
    static void mainWithHeartbeat(String[] args) throws Exception {
        new Bottles(BottlesOptions.parse("bottles_heartbeat", args), true).run();
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("pprocess-bottles-");
        try {
            List<Path> files = new ArrayList<>();
            for (int k = 1; k <= options.files; k++) {
                files.add(Files.createFile(dir.resolve("bottles-" + k + ".txt")));
            }
            watch(files);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf("Time taken: %.3f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Starts the children, then the song, and prints matches until every file has ended. */
    private void watch(List<Path> files) throws Exception {
        ExchangeOptions continuous = ExchangeOptions.defaults().continuous(true);
        try (Exchange exchange = new Exchange(continuous, this::store)) {
            Channel beats = null;
            if (heartbeat) {
                beats = PProcess.start(Children.HEARTBEAT, Math.round(options.heartbeat * 1e9));
                exchange.add(beats);
            }
            for (String pattern : options.patterns) {
                Channel grep = PProcess.start(Children.GREP, pattern);
                greps.add(grep);
                exchange.add(grep);
            }
            for (Path file : files) {
                exchange.start(Children.FOLLOW, file.toString());
                followers++;
            }

            AtomicReference<Exception> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    Song.write(files, options.bottles, Math.round(options.delay * 1e9));
                } catch (IOException | InterruptedException e) {
                    writeFailure.set(e);
                }
            }, "song-writer");
            writer.start();
            try {
                while (followers > 0) {
                    exchange.store();
                }
            } finally {
                writer.interrupt();
                writer.join();
            }
            if (writeFailure.get() != null) {
                throw writeFailure.get();
            }

            for (Channel grep : greps) {
                grep.send(null);
            }
            if (beats != null) {
                beats.send(null);
            }
            exchange.finish();
        }
    }

    /** Handles one message from any child. */
    private void store(Channel channel) {
        Object message = channel.receive();
        if (message instanceof Messages.Line line) {
            for (Channel grep : greps) {
                grep.send(line);
            }
        } else if (message instanceof Messages.Match match) {
            Messages.Line line = match.line();
            System.out.println("[" + match.pattern() + "] " + line.file() + ":" + line.number() + ": " + line.text());
        } else if (message instanceof Messages.Ended) {
            followers--;
        } else if (message instanceof Messages.Beat beat) {
            System.out.println("heartbeat " + beat.count());
        } else {
            throw new IllegalStateException("unexpected message from child " + channel.pid() + ": " + message);
        }
    }
}
