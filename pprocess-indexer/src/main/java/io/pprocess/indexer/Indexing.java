package io.pprocess.indexer;

import io.pprocess.Channel;
import io.pprocess.Exchange;
import io.pprocess.ExchangeOptions;
import io.pprocess.PProcess;
import io.pprocess.PProcessException;
import io.pprocess.indexer.Messages.FileSkipped;
import io.pprocess.indexer.Messages.ReadProgress;
import io.pprocess.indexer.Messages.Slice;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs the children that index the files, and adds the index parts they send to a
 * {@link PrefixIndex}; lives in the parent.
 *
 * <p>Two ways to hand out the files. With a slice size given ({@link #run}), each slice is one
 * child's whole work; the slices' children run at most {@code window} at a time, and no more
 * than {@link #busyChildren}{@code (window)} of them (the cores) are <em>starting</em> at once:
 * a child starts until its first message (its JVM boots, connects, and compiles the analysis
 * on its first files; its first progress report comes {@link SliceTask#PROGRESS_MILLIS} into
 * its reading), so that one child's end (sending its part, exiting) overlaps the next one's
 * start without more JVMs compiling at once than the cores run (kept workers, which have
 * started already, run no more than the cores at once). Without a slice size ({@link #shared}),
 * the files are handed out in pieces as the children ask for them (see
 * {@link Slice#shared()}): pieces of {@link #MAX_PIECE_BYTES} at most, smaller
 * towards the end so that the children finish together; and a new child JVM is started beside
 * the running ones only while the files not read yet would take them longer than
 * {@link #NEW_CHILD_PAYS} at their current rate, since a new JVM spends about a second of CPU
 * starting and compiling, taken from the cores the others read on. Kept workers (see
 * {@link PProcess#keepWorkers}) are taken at once, up to {@link #busyChildren}.
 *
 * <p>Children are watched by a continuous {@link Exchange}: each child streams many messages.
 * A file is accounted for when an index part ({@link IndexPart}) completes it or its
 * {@link FileSkipped} message arrives; files handed to a child that are not accounted for when
 * it has ended are reported as failed (as its share, or its slice), with the child's error, and
 * the other children are unaffected. With shared slices, the files not handed out yet go to the
 * other children, or to a new one when none is left; when a child cannot even start and no other
 * runs, every file not handed out fails with it.
 *
 * <p>When workers are kept ({@link PProcess#keepWorkers}), {@link PProcess#start} hands a slice
 * to a kept worker of this build instead of a new JVM; nothing else differs.
 */
final class Indexing {
    /** The most time given, after indexing, for the children to end. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    /** The largest piece of a shared slice. */
    static final long MAX_PIECE_BYTES = 4L << 20;
    /** The smallest piece of a shared slice (unless a file alone is larger, or files run out). */
    static final long MIN_PIECE_BYTES = 256L << 10;
    /** A piece is at most the bytes not handed out divided by this many times the children. */
    static final int PIECES_PER_CHILD = 4;
    /**
     * A new child JVM is started (with shared slices and no kept workers) only while the bytes
     * not read yet, at the running children's rate, would take longer than this; set by the
     * system property {@code pprocess.indexer.newChildPaysMillis}.
     */
    static final Duration NEW_CHILD_PAYS = Duration.ofMillis(Long.getLong("pprocess.indexer.newChildPaysMillis", 3000));
    /**
     * With shared slices, after this many children in a row ended with an error before any of
     * them delivered an index part, no more are started: the files left fail with the last error.
     */
    static final int GIVE_UP_AFTER_FAILURES = 3;
    /** The span over which the children's reading rate is measured. */
    static final long RATE_SPAN_NANOS = 600_000_000L;
    /** The least span of reports before the rate is trusted. */
    static final long RATE_MIN_SPAN_NANOS = 300_000_000L;

    private final FileListing listing;
    private final PrefixIndex index;
    private final Progress progress;
    private final boolean[] done;
    private final String[] skipped;
    private final Map<Channel, Share> shareOf = new IdentityHashMap<>();
    private final List<Share> shares = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final long delayMillis;
    // Whether the children are kept workers, which outlive the run: their end is not waited for.
    private final boolean keptWorkers;
    private int indexedFiles;
    private long indexedBytes;
    private int shownFiles;
    private long shownBytes;
    // Shared slices: the next file to hand out, the bytes from it on, and the reading rate's samples.
    private int cursor;
    private long unhandedBytes;
    // Pieces handed to a child that died before starting them, to be handed out again first.
    private final ArrayDeque<int[]> returned = new ArrayDeque<>();
    // Children that ended with an error since the last index part arrived.
    private int failuresInARow;
    private String lastError;
    private int mostAtOnce;
    private int mostStarting;
    private final ArrayDeque<long[]> readSamples = new ArrayDeque<>();
    private int pieceChildren = 1;

    private Indexing(FileListing listing, Progress progress, long delayMillis) {
        this.listing = listing;
        this.index = new PrefixIndex(listing.names());
        this.progress = progress;
        this.done = new boolean[listing.size()];
        this.skipped = new String[listing.size()];
        this.delayMillis = delayMillis;
        this.keptWorkers = PProcess.keptWorkersIdleLimit().compareTo(Duration.ZERO) > 0;
        this.unhandedBytes = listing.totalBytes();
    }

    /**
     * The most children starting at once (and, with shared slices, running at once): the
     * window, but no more than there are cores ({@link PProcess#numberOfCores()}), so that no
     * more JVMs start and compile at once than the cores can run (more would only take turns on
     * them, each paying its own start and compilation).
     *
     * @param window the most children at once the user asked for
     * @return the number of children to start at once at most
     */
    static int busyChildren(int window) {
        return Math.max(1, Math.min(window, PProcess.numberOfCores()));
    }

    /** The files handed to one child: its number, the ranges of file numbers, and why it failed. */
    private static final class Share {
        final int number;
        final List<int[]> ranges = new ArrayList<>();
        /** With shared slices, how many of the ranges (pieces) the child has started: its requests. */
        int started;
        /** The arrays of places its child has sent since its last index part, for the next one. */
        final List<byte[]> chunks = new ArrayList<>();
        /** Whether its child has sent a message (it is no longer starting). */
        boolean heard;
        /**
         * Whether its child was started with no files ({@link EarlyStart}) and has not asked for
         * its first piece yet: that request starts nothing.
         */
        boolean waiting;
        String error;

        Share(int number) {
            this.number = number;
        }
    }

    /** A failed slice (a child's share): its number, why, and the names of its files that were not indexed. */
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
     * @param children how many children (or kept workers) were started
     * @param mostAtOnce the most children that were running at once
     * @param mostStarting the most children at once that had not sent anything yet (starting
     *     their JVM or compiling their first files)
     */
    record Outcome(PrefixIndex index, int files, long bytes, List<SkippedFile> skipped,
                   List<FailedSlice> failed, long nanos, int children, int mostAtOnce, int mostStarting) {
        /** @return the number of files of failed slices that were not indexed */
        int failedFiles() {
            return failed.stream().mapToInt(f -> f.files().size()).sum();
        }
    }

    /**
     * Indexes the files of {@code slices}, one child per slice.
     *
     * @param listing the files
     * @param slices the division of the files among children
     * @param window the most children running at once; no more than {@link #busyChildren} of
     *     them are starting at once (see the class comment)
     * @param progress told how far the children have read, and completed at the end
     * @return the index and what happened
     */
    static Outcome run(FileListing listing, List<Slice> slices, int window, Progress progress) {
        long start = System.nanoTime();
        Indexing run = new Indexing(listing, progress, 0);
        int starting = busyChildren(window);
        // Kept workers have started and compiled already: more of them than cores would only
        // take turns, and stay afterwards.
        boolean kept = run.keptWorkers;
        int limit = kept ? starting : Math.max(1, window);
        ExchangeOptions options = ExchangeOptions.defaults().limit(limit).continuous(true);
        try (Exchange exchange = new Exchange(options, run::store)) {
            int first = Math.min(starting, slices.size());
            List<Share> firstShares = new ArrayList<>();
            for (Slice slice : slices.subList(0, first)) {
                firstShares.add(run.share(slice));
            }
            run.addAll(exchange, firstShares, run.startTogether(slices.subList(0, first)));
            for (Slice slice : slices.subList(first, slices.size())) {
                // A child counts as starting until its first message: its JVM boots, connects
                // and compiles the analysis while it reads its first files.
                while (exchange.busy() || run.starting(exchange) >= starting) {
                    exchange.store();
                }
                Share share = run.share(slice);
                run.added(exchange, share, run.start(slice));
            }
            exchange.finish();
        }
        return run.end(start);
    }

    /** @return how many of the exchange's children have not sent anything yet */
    private int starting(Exchange exchange) {
        int n = 0;
        for (Channel channel : exchange.active()) {
            Share share = shareOf.get(channel);
            if (share != null && !share.heard) {
                n++;
            }
        }
        return n;
    }

    /**
     * Indexes every file of {@code listing}, handing the files out in pieces as the children
     * ask for them (see the class comment).
     *
     * @param listing the files
     * @param window the most children running at once (no more than {@link #busyChildren} run)
     * @param delayMillis the per-file delay given to the children
     * @param progress told how far the children have read, and completed at the end
     * @return the index and what happened
     */
    static Outcome shared(FileListing listing, int window, long delayMillis, Progress progress) {
        return shared(listing, window, delayMillis, progress, null);
    }

    /**
     * As {@link #shared(FileListing, int, long, Progress)}, with the first children started
     * already, before the files were listed.
     *
     * @param early the children started during the listing, or {@code null} to start them here;
     *     taken by this call (closing it afterwards does nothing)
     */
    static Outcome shared(FileListing listing, int window, long delayMillis, Progress progress, EarlyStart early) {
        long start = System.nanoTime();
        Indexing run = new Indexing(listing, progress, delayMillis);
        int limit = busyChildren(window);
        run.pieceChildren = limit;
        boolean kept = run.keptWorkers;
        ExchangeOptions options = ExchangeOptions.defaults().limit(limit).continuous(true);
        try (Exchange exchange = new Exchange(options, run::store)) {
            List<Share> firstShares = new ArrayList<>();
            if (early != null) {
                List<Object> started = early.take();
                for (int i = 0; i < started.size(); i++) {
                    Share share = run.newShare();
                    share.waiting = true;
                    firstShares.add(share);
                }
                run.addAll(exchange, firstShares, started);
            } else {
                int first = kept ? limit : 1;
                List<Slice> firstSlices = new ArrayList<>();
                for (int i = 0; i < first && run.hasWork(); i++) {
                    Share share = run.newShare();
                    firstShares.add(share);
                    firstSlices.add(run.piece(share, limit));
                }
                run.addAll(exchange, firstShares, run.startTogether(firstSlices));
            }
            Starter starting = null;
            long lastStart = System.nanoTime();
            while (true) {
                if (starting != null && starting.done()) {
                    run.added(exchange, starting.share, starting.result());
                    starting = null;
                    lastStart = System.nanoTime();
                }
                int active = exchange.active().size();
                if (starting == null && run.hasWork()) {
                    if (active == 0) {
                        // Every child has ended (or none could start) with files left: a new one
                        // takes them, unless children keep failing without delivering anything.
                        Share share = run.newShare();
                        if (run.failuresInARow >= GIVE_UP_AFTER_FAILURES) {
                            run.handRest(share);
                            share.error = run.lastError;
                            continue;
                        }
                        Slice piece = run.piece(share, limit);
                        Object started = run.start(piece);
                        run.added(exchange, share, started);
                        if (started instanceof PProcessException) {
                            run.handRest(share);
                        }
                        continue;
                    }
                    if (active < limit && !kept && run.pays(active, lastStart)) {
                        Share share = run.newShare();
                        starting = new Starter(run, share, run.piece(share, limit));
                    }
                }
                if (active == 0 && starting == null) {
                    break;
                }
                if (active == 0) {
                    starting.await();
                } else {
                    exchange.store(starting != null || (!kept && active < limit) ? Duration.ofMillis(50) : null);
                }
            }
        }
        return run.end(start);
    }

    /** Finishes the index, waits for the children to end, and sums up. */
    private Outcome end(long start) {
        index.merge();
        long nanos = System.nanoTime() - start;
        if (!keptWorkers) {
            awaitExits(channels);
        }
        return outcome(nanos);
    }

    /**
     * Kept workers claimed while the parent lists the files, so that connecting to them (in a
     * new parent JVM, mostly loading the classes of the channel and its serialiser) overlaps the
     * listing instead of delaying the first piece. Each worker gets a shared slice of no files
     * and asks for its first piece at once; {@link Indexing#shared} answers it once the files
     * are known. Closing an early start that was not taken (no files to index, or the listing
     * failed) lets its workers go: each is told that no files are left and its empty index part
     * is read, as at the end of a run.
     */
    static final class EarlyStart implements AutoCloseable {
        /** How long a worker let go unused is given to answer, each step. */
        private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

        private final Starts starts;
        private boolean taken;

        private EarlyStart(int count, long delayMillis) {
            starts = new Starts(count, k -> PProcess.start(SliceTask.TASK, new Slice(k, 0, List.of(), delayMillis, true)));
        }

        /**
         * Starts claiming the kept workers of a shared run of {@code window}, or nothing when
         * workers are not kept ({@link PProcess#keepWorkers}): new child JVMs are started only
         * when they pay, which is known once the files are.
         *
         * @param window the most children at once the user asked for
         * @param delayMillis the per-file delay given to the children
         * @return the early start, or {@code null}
         */
        static EarlyStart ofKeptWorkers(int window, long delayMillis) {
            if (PProcess.keptWorkersIdleLimit().compareTo(Duration.ZERO) <= 0) {
                return null;
            }
            return new EarlyStart(busyChildren(window), delayMillis);
        }

        /** @return for each worker, its channel or what its start threw, once every start has returned */
        List<Object> take() {
            taken = true;
            return starts.await();
        }

        @Override
        public void close() {
            if (taken) {
                return;
            }
            taken = true;
            for (Object r : starts.await()) {
                if (r instanceof Channel channel) {
                    release(channel);
                }
            }
        }

        private static void release(Channel channel) {
            try {
                Object request = channel.receive(RELEASE_WAIT);
                if (request instanceof Messages.WantSlice) {
                    channel.sendUnacknowledged(new Slice(0, 0, List.of(), 0, false));
                    // Its empty index part ends its job; a worker that sends anything else is
                    // not waited for beyond a few messages.
                    for (int i = 0; i < 4 && !(channel.receive(RELEASE_WAIT) instanceof byte[]); i++) {
                        // Read on.
                    }
                }
            } catch (PProcessException e) {
                // The worker went away or broke the protocol: closing is all that is left.
            } finally {
                channel.close();
            }
        }
    }

    /** Starts one child on a thread of its own, so that the exchange goes on meanwhile. */
    private static final class Starter {
        final Share share;
        private final Thread thread;
        private volatile Object result;

        Starter(Indexing run, Share share, Slice slice) {
            this.share = share;
            this.thread = new Thread(() -> {
                try {
                    result = run.start(slice);
                } catch (RuntimeException | Error e) {
                    result = e;
                }
            }, "pprocess-indexer-start");
            thread.setDaemon(true);
            thread.start();
        }

        boolean done() {
            return !thread.isAlive();
        }

        void await() {
            Threads.joinAll(thread);
        }

        /** @return the channel or the {@link PProcessException}; rethrows anything else */
        Object result() {
            await();
            Object r = result;
            if (r instanceof Error e) {
                throw e;
            }
            if (r instanceof RuntimeException e && !(e instanceof PProcessException)) {
                throw e;
            }
            return r;
        }
    }

    /**
     * Whether one more child JVM pays: the running children have reported for long enough to
     * know their rate, and the bytes not read yet would take them longer than
     * {@link #NEW_CHILD_PAYS} at it.
     */
    private boolean pays(int active, long lastStart) {
        long now = System.nanoTime();
        if (readSamples.size() < 2) {
            return false;
        }
        long[] first = readSamples.peekFirst();
        long[] last = readSamples.peekLast();
        long span = last[0] - first[0];
        if (span < RATE_MIN_SPAN_NANOS || first[0] < lastStart) {
            return false;
        }
        double rate = (double) (last[1] - first[1]) / span;
        if (rate <= 0) {
            return true;
        }
        long left = Math.max(0, listing.totalBytes() - shownBytes);
        return left / rate > NEW_CHILD_PAYS.toNanos();
    }

    /** @return whether files are left to hand out */
    private boolean hasWork() {
        return cursor < listing.size() || !returned.isEmpty();
    }

    /** Takes back the pieces a dead child had been handed but had not started. */
    private void giveBack(Share share) {
        while (share.ranges.size() > share.started) {
            int[] range = share.ranges.remove(share.ranges.size() - 1);
            returned.addFirst(range);
            for (int f = range[0]; f < range[1]; f++) {
                unhandedBytes += listing.sizes()[f];
            }
        }
    }

    private Share newShare() {
        Share share = new Share(shares.size());
        shares.add(share);
        return share;
    }

    private Share share(Slice slice) {
        Share share = newShare();
        share.started = -1;
        share.ranges.add(new int[] {slice.firstFile(), slice.endFile()});
        return share;
    }

    /**
     * Hands the next piece of the files to a share: about the bytes left divided by
     * {@link #PIECES_PER_CHILD} times {@code children}, within {@link #MIN_PIECE_BYTES} and
     * {@link #MAX_PIECE_BYTES}, at least one file; empty when none is left.
     */
    private Slice piece(Share share, int children) {
        if (!returned.isEmpty()) {
            int[] range = returned.removeFirst();
            for (int f = range[0]; f < range[1]; f++) {
                unhandedBytes -= listing.sizes()[f];
            }
            share.ranges.add(range);
            return listing.slice(share.number, range[0], range[1], delayMillis, true, !hasWork());
        }
        long[] sizes = listing.sizes();
        int from = cursor;
        long want = Math.max(MIN_PIECE_BYTES, Math.min(MAX_PIECE_BYTES,
                unhandedBytes / ((long) PIECES_PER_CHILD * Math.max(1, children))));
        long got = 0;
        while (cursor < sizes.length && (cursor == from || got + sizes[cursor] <= want)) {
            got += sizes[cursor];
            cursor++;
        }
        unhandedBytes -= got;
        if (cursor == from) {
            return new Slice(share.number, from, List.of(), delayMillis, false);
        }
        share.ranges.add(new int[] {from, cursor});
        return listing.slice(share.number, from, cursor, delayMillis, true, !hasWork());
    }

    /** Gives every file not handed out to {@code share} (whose child could not start). */
    private void handRest(Share share) {
        while (!returned.isEmpty()) {
            share.ranges.add(returned.removeFirst());
        }
        if (cursor < listing.size()) {
            share.ranges.add(new int[] {cursor, listing.size()});
            cursor = listing.size();
        }
        unhandedBytes = 0;
    }

    /** Adds the children started together, then rethrows what a start threw unexpectedly. */
    private void addAll(Exchange exchange, List<Share> started, List<Object> results) {
        Throwable unexpected = null;
        for (int i = 0; i < started.size(); i++) {
            Object r = results.get(i);
            if (r instanceof Channel || r instanceof PProcessException) {
                added(exchange, started.get(i), r);
            } else if (unexpected == null) {
                unexpected = (Throwable) r;
            }
        }
        if (unexpected instanceof Error error) {
            throw error;
        } else if (unexpected != null) {
            throw (RuntimeException) unexpected;
        }
    }

    /**
     * Waits, up to {@link #EXIT_WAIT} in all, for children that have sent everything to end:
     * a child may still be shutting down its JVM (or recording the class-data-sharing archive
     * that later children start from), and a command that exits at once would leave it
     * running. The index is complete before this wait, so it is not part of the time taken.
     * Kept workers outlive their jobs and are not waited for (waiting would last the whole
     * {@link #EXIT_WAIT}).
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
        return new Starts(first.size(), k -> start(first.get(k))).await();
    }

    /**
     * Child starts run side by side, each on a thread of its own; what each gave (its channel,
     * or the unchecked exception or error it threw) is read once every one has returned.
     */
    private static final class Starts {
        private final Thread[] threads;
        private final Object[] results;

        Starts(int count, IntFunction<Object> start) {
            threads = new Thread[count];
            results = new Object[count];
            for (int i = 0; i < count; i++) {
                int k = i;
                threads[i] = new Thread(() -> {
                    try {
                        results[k] = start.apply(k);
                    } catch (RuntimeException | Error e) {
                        results[k] = e;
                    }
                }, "pprocess-indexer-start-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
        }

        /** @return for each start, its channel or what it threw, once every one has returned */
        List<Object> await() {
            Threads.joinAll(threads);
            return Arrays.asList(results);
        }
    }

    /**
     * Starts a slice in a new child (or a kept worker, see {@link PProcess#keepWorkers}).
     *
     * @return the channel, or the {@link PProcessException} that starting threw
     */
    private Object start(Slice slice) {
        try {
            Object c = PProcess.start(SliceTask.TASK, slice);
            return c;
        } catch (PProcessException e) {
            return e;
        }
    }

    /** Adds a started child to the exchange, or records why its share has no child. */
    private void added(Exchange exchange, Share share, Object started) {
        if (started instanceof Channel channel) {
            shareOf.put(channel, share);
            channels.add(channel);
            exchange.add(channel);
            mostAtOnce = Math.max(mostAtOnce, exchange.active().size());
            mostStarting = Math.max(mostStarting, starting(exchange));
        } else {
            share.error = "could not start a child process: " + ((PProcessException) started).getMessage();
            failuresInARow++;
            lastError = share.error;
            if (share.started >= 0) {
                // A shared piece goes to the other children (or to the next start).
                giveBack(share);
            }
        }
    }

    /**
     * Takes one message from a child. A child's failure (its exception, or its death) is
     * recorded against its share and not thrown, so that the exchange goes on with the others.
     * A child's request for more files is answered here.
     *
     * @param channel a channel with data, or whose child has ended
     */
    void store(Channel channel) {
        Share share = shareOf.get(channel);
        if (share != null) {
            share.heard = true;
        }
        Object message;
        try {
            message = channel.receive();
        } catch (PProcessException e) {
            if (share != null && share.error == null) {
                share.error = e.getMessage();
            }
            if (share != null && share.started >= 0) {
                giveBack(share);
            }
            if (share != null) {
                share.chunks.clear();
            }
            failuresInARow++;
            lastError = e.getMessage();
            return;
        }
        if (message instanceof Messages.WantSlice && share != null) {
            if (share.waiting) {
                share.waiting = false;
            } else {
                share.started++;
            }
            try {
                channel.sendUnacknowledged(piece(share, pieceChildren));
            } catch (PProcessException e) {
                if (share.error == null) {
                    share.error = e.getMessage();
                }
            }
            return;
        }
        if (message instanceof ByteBuffer places && share != null) {
            share.chunks.add(places.hasArray() && places.arrayOffset() == 0 && places.position() == 0
                    && places.remaining() == places.array().length ? places.array() : bytes(places));
            return;
        }
        if (message instanceof byte[] part && share != null) {
            byte[][] chunks = share.chunks.toArray(new byte[0][]);
            share.chunks.clear();
            try {
                accept(part, chunks);
            } catch (IllegalArgumentException e) {
                if (share.error == null) {
                    share.error = "it sent a malformed index part (" + e.getMessage() + ")";
                }
            }
            return;
        }
        accept(message);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /**
     * Takes one index part.
     *
     * @param data the part (see {@link IndexPart})
     * @param chunks the arrays of places its child sent before it, since its previous part
     * @throws IllegalArgumentException if it is a malformed index part (nothing of it is added)
     * @throws IllegalStateException if it names a file already accounted for
     */
    void accept(byte[] data, byte[][] chunks) {
        IndexPart part = index.add(data, chunks);
        failuresInARow = 0;
        long bytes = 0;
        for (int i = 0; i < part.files().length; i++) {
            finish(part.files()[i]);
            bytes += part.bytes()[i];
        }
        indexedFiles += part.files().length;
        indexedBytes += bytes;
    }

    /**
     * Takes one message other than an index part or an array of places.
     *
     * @param message a {@link FileSkipped} or a {@link ReadProgress}
     * @throws IllegalStateException if it names a file already accounted for, or is of another type
     */
    void accept(Object message) {
        if (message instanceof ReadProgress read) {
            shownFiles += read.files();
            shownBytes += read.bytes();
            long now = System.nanoTime();
            readSamples.addLast(new long[] {now, shownBytes});
            while (readSamples.size() > 2 && now - readSamples.peekFirst()[0] > RATE_SPAN_NANOS) {
                readSamples.removeFirst();
            }
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

    private Outcome outcome(long nanos) {
        List<FailedSlice> failed = new ArrayList<>();
        for (Share share : shares) {
            List<String> missing = new ArrayList<>();
            for (int[] range : share.ranges) {
                for (int f = range[0]; f < range[1]; f++) {
                    if (!done[f]) {
                        missing.add(listing.names().get(f));
                    }
                }
            }
            if (!missing.isEmpty()) {
                String reason = share.error != null ? share.error : "its child process ended early";
                failed.add(new FailedSlice(share.number, reason, List.copyOf(missing)));
            }
        }
        progress.advance(listing.size() - shownFiles, Math.max(0, listing.totalBytes() - shownBytes));
        List<SkippedFile> skips = new ArrayList<>();
        for (int f = 0; f < skipped.length; f++) {
            if (skipped[f] != null) {
                skips.add(new SkippedFile(listing.names().get(f), skipped[f]));
            }
        }
        return new Outcome(index, indexedFiles, indexedBytes, List.copyOf(skips), List.copyOf(failed), nanos,
                channels.size(), mostAtOnce, mostStarting);
    }
}
