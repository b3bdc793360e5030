package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one child per slice, at most {@code window} at a time, and adds the index parts they send
 * to a {@link PrefixIndex}; lives in the parent.
 *
 * <p>Children are watched by a continuous {@link Exchange}: each child streams many messages and
 * its slot goes to the next slice only when it ends. A file is accounted for when an index part
 * ({@link IndexPart}) completes it or its {@link FileSkipped} message arrives; files of a slice that are
 * not accounted for when its child has ended are reported as failed, with the child's error,
 * and the other slices are unaffected.
 *
 * <p>When workers are kept ({@link PProcess#keepWorkers}), {@link PProcess#start} hands a slice
 * to a kept worker of this build instead of a new JVM; nothing else differs.
 */
final class Indexing {
    /** The most time given, after indexing, for the children to end. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final FileListing listing;
    private final PrefixIndex index;
    private final Progress progress;
    private final boolean[] done;
    private final String[] skipped;
    private final Map<Channel, Slice> sliceOf = new IdentityHashMap<>();
    private final Map<Integer, String> errors = new HashMap<>();
    private int indexedFiles;
    private long indexedBytes;
    private int shownFiles;
    private long shownBytes;

    private Indexing(FileListing listing, Progress progress) {
        this.listing = listing;
        this.index = new PrefixIndex(listing.names());
        this.progress = progress;
        this.done = new boolean[listing.size()];
        this.skipped = new String[listing.size()];
    }

    /**
     * How many slices to cut when the user gave no slice size: one per window slot, but no
     * more than there are cores ({@link PProcess#numberOfCores()}), so that no more JVMs start
     * and compile at once than the cores can run (a window above the cores would only make the
     * children take turns on them, each paying its own start and compilation).
     *
     * @param window the most children at once
     * @return the number of slices to aim for
     */
    static int busyChildren(int window) {
        return Math.max(1, Math.min(window, PProcess.numberOfCores()));
    }

    /** A failed slice: its number, why, and the names of its files that were not indexed. */
    record FailedSlice(int slice, String reason, List<String> files) {
    }

    /** A skipped file: its name and why. */
    record SkippedFile(String name, String reason) {
    }

    /**
     * What indexing produced.
     *
     * @param index the merged index
     * @param files the number of files indexed
     * @param bytes their total size
     * @param skipped the skipped files, in file order
     * @param failed the failed slices, in slice order
     * @param nanos the time taken
     */
    record Outcome(PrefixIndex index, int files, long bytes, List<SkippedFile> skipped,
                   List<FailedSlice> failed, long nanos) {
        /** @return the number of files of failed slices that were not indexed */
        int failedFiles() {
            return failed.stream().mapToInt(f -> f.files().size()).sum();
        }
    }

    /**
     * Indexes the files of {@code slices}.
     *
     * @param listing the files
     * @param slices the division of the files among children
     * @param window the most children running at once
     * @param progress told how far the children have read, and completed at the end
     * @return the index and what happened
     */
    static Outcome run(FileListing listing, List<Slice> slices, int window, Progress progress) {
        long start = System.nanoTime();
        Indexing run = new Indexing(listing, progress);
        ExchangeOptions options = ExchangeOptions.defaults().limit(window).continuous(true);
        try (Exchange exchange = new Exchange(options, run::store)) {
            int first = Math.min(window, slices.size());
            List<Object> started = run.startTogether(slices.subList(0, first));
            Throwable unexpected = null;
            for (int i = 0; i < first; i++) {
                if (started.get(i) instanceof Channel || started.get(i) instanceof PProcessException) {
                    run.added(exchange, slices.get(i), started.get(i));
                } else if (unexpected == null) {
                    unexpected = (Throwable) started.get(i);
                }
            }
            if (unexpected instanceof Error error) {
                throw error;
            } else if (unexpected != null) {
                throw (RuntimeException) unexpected;
            }
            for (Slice slice : slices.subList(first, slices.size())) {
                exchange.awaitCapacity();
                run.added(exchange, slice, run.start(slice));
            }
            exchange.finish();
        }
        run.index.merge();
        long nanos = System.nanoTime() - start;
        awaitExits(new ArrayList<>(run.sliceOf.keySet()));
        return run.outcome(slices, nanos);
    }

    /**
     * Waits, up to {@link #EXIT_WAIT} in all, for children that have sent everything to end:
     * a child may still be shutting down its JVM (or recording the class-data-sharing archive
     * that later children start from), and a command that exits at once would leave it
     * running. The index is complete before this wait, so it is not part of the time taken.
     * A kept worker outlives its job: it is not waited for.
     */
    private static void awaitExits(Collection<Channel> channels) {
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        for (Channel channel : channels) {
            channel.waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /**
     * Starts the children of the first slices at the same time, one thread each, so that their
     * JVMs boot side by side rather than one after another (a start returns only once its
     * child has connected). Every start has returned when this method does.
     *
     * @param first the slices
     * @return for each slice, its channel, or what its start threw (a {@link PProcessException},
     *     or an unchecked exception or error that the caller rethrows once the channels of the
     *     others are in its exchange)
     */
    private List<Object> startTogether(List<Slice> first) {
        Object[] results = new Object[first.size()];
        if (first.size() == 1) {
            results[0] = start(first.get(0));
            return Arrays.asList(results);
        }
        Thread[] threads = new Thread[first.size()];
        for (int i = 0; i < threads.length; i++) {
            int k = i;
            threads[i] = new Thread(() -> {
                try {
                    results[k] = start(first.get(k));
                } catch (RuntimeException | Error e) {
                    results[k] = e;
                }
            }, "pprocess-indexer-start-" + i);
            threads[i].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return Arrays.asList(results);
    }

    /**
     * Starts a slice in a new child (or a kept worker, see {@link PProcess#keepWorkers}).
     *
     * @return the channel, or the {@link PProcessException} that starting threw
     */
    private Object start(Slice slice) {
        try {
            return PProcess.start(SliceTask.TASK, slice);
        } catch (PProcessException e) {
            return e;
        }
    }

    /** Adds a started child to the exchange, or records why its slice has no child. */
    private void added(Exchange exchange, Slice slice, Object started) {
        if (started instanceof Channel channel) {
            sliceOf.put(channel, slice);
            exchange.add(channel);
        } else {
            errors.put(slice.index(), "could not start a child process: " + ((PProcessException) started).getMessage());
        }
    }

    /**
     * Takes one message from a child. A child's failure (its exception, or its death) is
     * recorded against its slice and not thrown, so that the exchange goes on with the others.
     *
     * @param channel a channel with data, or whose child has ended
     */
    void store(Channel channel) {
        Object message;
        try {
            message = channel.receive();
        } catch (PProcessException e) {
            Slice slice = sliceOf.get(channel);
            if (slice != null) {
                errors.putIfAbsent(slice.index(), e.getMessage());
            }
            return;
        }
        if (message instanceof byte[] part) {
            try {
                accept(part);
            } catch (IllegalArgumentException e) {
                Slice slice = sliceOf.get(channel);
                if (slice != null) {
                    errors.putIfAbsent(slice.index(), "it sent a malformed index part (" + e.getMessage() + ")");
                }
            }
            return;
        }
        accept(message);
    }

    /**
     * Takes one message.
     *
     * @param message an index part ({@code byte[]}, see {@link IndexPart}), a
     *     {@link FileSkipped} or a {@link ReadProgress}
     * @throws IllegalArgumentException if it is a malformed index part (nothing of it is added)
     * @throws IllegalStateException if it names a file already accounted for, or is of another type
     */
    void accept(Object message) {
        if (message instanceof byte[] data) {
            IndexPart part = index.add(data);
            long bytes = 0;
            for (int i = 0; i < part.files().length; i++) {
                finish(part.files()[i]);
                bytes += part.bytes()[i];
            }
            indexedFiles += part.files().length;
            indexedBytes += bytes;
        } else if (message instanceof ReadProgress read) {
            shownFiles += read.files();
            shownBytes += read.bytes();
            progress.advance(read.files(), read.bytes());
        } else if (message instanceof FileSkipped skip) {
            finish(skip.file());
            skipped[skip.file()] = skip.reason();
        } else {
            throw new IllegalStateException("unexpected message from an indexing child: "
                    + (message == null ? "null" : message.getClass().getName()));
        }
    }

    private void finish(int file) {
        if (file < 0 || file >= done.length) {
            throw new IllegalStateException("file number out of range: " + file + " (files: " + done.length + ")");
        }
        if (done[file]) {
            throw new IllegalStateException("file " + listing.names().get(file) + " reported twice");
        }
        done[file] = true;
    }

    private Outcome outcome(List<Slice> slices, long nanos) {
        List<FailedSlice> failed = new ArrayList<>();
        for (Slice slice : slices) {
            List<String> missing = new ArrayList<>();
            for (int f = slice.firstFile(); f < slice.endFile(); f++) {
                if (!done[f]) {
                    missing.add(listing.names().get(f));
                }
            }
            if (!missing.isEmpty()) {
                String reason = errors.getOrDefault(slice.index(), "its child process ended early");
                failed.add(new FailedSlice(slice.index(), reason, List.copyOf(missing)));
            }
        }
        progress.advance(listing.size() - shownFiles, Math.max(0, listing.totalBytes() - shownBytes));
        List<SkippedFile> skips = new ArrayList<>();
        for (int f = 0; f < skipped.length; f++) {
            if (skipped[f] != null) {
                skips.add(new SkippedFile(listing.names().get(f), skipped[f]));
            }
        }
        return new Outcome(index, indexedFiles, indexedBytes, List.copyOf(skips), List.copyOf(failed), nanos);
    }
}
