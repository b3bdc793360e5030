package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.indexer.Messages.Batch;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.JobDone;
import io.pprocess.indexer.Messages.JobStarted;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one child per slice, at most {@code window} at a time, and merges what they send into a
 * {@link PrefixIndex}; lives in the parent.
 *
 * <p>Children are watched by a continuous {@link Exchange}: each child streams many messages and
 * its slot goes to the next slice only when it ends. A file is accounted for when a {@link Batch}
 * completes it or its {@link FileSkipped} message arrives; files of a slice that are
 * not accounted for when its child has ended are reported as failed, with the child's error,
 * and the other slices are unaffected.
 *
 * <p>With {@link KeptWorkers}, a slice goes to a kept worker instead of a new child: its
 * messages count from its {@link JobStarted} with the slice's token, and its {@link JobDone}
 * ends the slice (the channel is closed and the worker waits for its next run).
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
    private final KeptWorkers workers;
    /** The token of each kept worker's job. */
    private final Map<Channel, Long> tokenOf = new IdentityHashMap<>();
    /** The kept workers' channels whose {@link JobStarted} has not come yet. */
    private final Set<Channel> awaitingStart = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Channel, PrefixIndex.Source> sources = new IdentityHashMap<>();
    private int indexedFiles;
    private long indexedBytes;
    private int shownFiles;
    private long shownBytes;

    private Indexing(FileListing listing, Progress progress, KeptWorkers workers) {
        this.listing = listing;
        this.workers = workers;
        this.index = new PrefixIndex(listing.names());
        this.progress = progress;
        this.done = new boolean[listing.size()];
        this.skipped = new String[listing.size()];
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
        return run(listing, slices, window, progress, null);
    }

    /**
     * Indexes the files of {@code slices}, with kept workers when {@code workers} is given.
     *
     * @param listing the files
     * @param slices the division of the files among children
     * @param window the most children running at once
     * @param progress told how far the children have read, and completed at the end
     * @param workers the kept workers to use, or {@code null} for a new child per slice
     * @return the index and what happened
     */
    static Outcome run(FileListing listing, List<Slice> slices, int window, Progress progress, KeptWorkers workers) {
        long start = System.nanoTime();
        Indexing run = new Indexing(listing, progress, workers);
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
        long nanos = System.nanoTime() - start;
        List<Channel> children = new ArrayList<>();
        for (Channel c : run.sliceOf.keySet()) {
            if (!run.tokenOf.containsKey(c)) {
                children.add(c);
            }
        }
        awaitExits(children);
        return run.outcome(slices, nanos);
    }

    /**
     * Waits, up to {@link #EXIT_WAIT} in all, for children that have sent everything to end:
     * a child may still be shutting down its JVM (or recording the class-data-sharing archive
     * that later children start from), and a command that exits at once would leave it
     * running. The index is complete before this wait, so it is not part of the time taken.
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
     * Starts a slice in a new child, or in a kept worker when there are kept workers (a new
     * child when all of them are in use or none can be started).
     *
     * @return the channel, or the {@link PProcessException} that starting threw
     */
    private Object start(Slice slice) {
        try {
            if (workers != null) {
                long token = ThreadLocalRandom.current().nextLong();
                Channel channel;
                try {
                    channel = workers.start(slice, token);
                } catch (PProcessException e) {
                    // No worker could be reached or started: a new child does the slice, and
                    // reports the problem if it shares it.
                    channel = null;
                }
                if (channel != null) {
                    synchronized (this) {
                        awaitingStart.add(channel);
                        tokenOf.put(channel, token);
                    }
                    return channel;
                }
            }
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
        Long token = tokenOf.get(channel);
        if (token != null) {
            if (awaitingStart.contains(channel)) {
                if (message instanceof JobStarted started && started.token() == token) {
                    awaitingStart.remove(channel);
                }
                return;
            }
            if (message instanceof JobDone done && done.token() == token) {
                workers.release(channel);
                return;
            }
        }
        accept(sources.computeIfAbsent(channel, c -> index.newSource()), message);
    }

    /**
     * Merges one message.
     *
     * @param source the words of the child that sent it
     * @param message a {@link Batch}, {@link FileSkipped} or {@link ReadProgress}
     */
    void accept(PrefixIndex.Source source, Object message) {
        if (message instanceof Batch batch) {
            source.add(batch.renumbered(), batch.newWords(), batch.words(), batch.ends(), batch.places());
            long bytes = 0;
            for (int i = 0; i < batch.files().length; i++) {
                finish(batch.files()[i]);
                bytes += batch.bytes()[i];
            }
            indexedFiles += batch.files().length;
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
