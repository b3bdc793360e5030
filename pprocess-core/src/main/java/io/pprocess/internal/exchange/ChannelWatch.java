package io.pprocess.internal.exchange;

import io.pprocess.Channel;
import io.pprocess.ChannelException;
import io.pprocess.ChannelInterruptedException;
import io.pprocess.internal.channel.ChildProcess;
import io.pprocess.internal.channel.FrameChannel;
import io.pprocess.internal.transport.LinkWatcher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The channels one exchange watches: the entries in the order they were added, one poller over
 * their links of either transport ({@link LinkWatcher}), the processes for a cancel from another
 * thread, the channels the last wait removed, and the one-thread-at-a-time rule of the exchange.
 * What a ready channel means (a message, a quiet end, a reported failure) is the exchange's to
 * decide: the wait hands each one to the caller's {@code classify}.
 */
final class ChannelWatch {
    private final Map<Channel, WatchedChannel> active = new LinkedHashMap<>();
    private final List<Channel> removed = new ArrayList<>();
    private final LinkWatcher watcher = new LinkWatcher();
    /** The processes of the watched channels, for a cancel from another thread. */
    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();
    /** The thread inside the exchange's {@code ready} or {@code store}, if any. */
    private final AtomicReference<Thread> user = new AtomicReference<>();
    private final boolean autoclose;

    /** @param autoclose whether {@link #remove} closes the channel it stops watching */
    ChannelWatch(boolean autoclose) {
        this.autoclose = autoclose;
    }

    /**
     * Makes the calling thread the exchange's user for one call.
     *
     * @param operation the call, for the message
     * @return the thread to give {@link #exitUse}, or {@code null} if it already was the user
     * @throws IllegalStateException if another thread is using the exchange
     */
    Thread enterUse(String operation) {
        Thread me = Thread.currentThread();
        while (true) {
            if (user.compareAndSet(null, me)) {
                return me;
            }
            Thread other = user.get();
            if (other == me) {
                return null;
            }
            if (other != null) {
                throw new IllegalStateException(operation + " on an exchange from thread \"" + me.getName()
                        + "\" while thread \"" + other.getName() + "\" is using it: an exchange is used from one"
                        + " thread at a time");
            }
        }
    }

    /**
     * @return whether another thread is using the exchange now: a volatile read, with none of
     *     {@link #enterUse}'s atomic update, for reads that need no use of their own
     */
    boolean usedByAnotherThread() {
        Thread other = user.get();
        return other != null && other != Thread.currentThread();
    }

    /** @param token what {@link #enterUse} returned */
    void exitUse(Thread token) {
        if (token != null) {
            user.set(null);
        }
    }

    /**
     * Starts watching an entry's channel.
     *
     * @param entry the channel and its job
     * @param kill whether to kill its process at once (the exchange was cancelled)
     * @throws ChannelException if its link cannot be watched
     */
    void add(WatchedChannel entry, boolean kill) {
        try {
            watcher.register(entry.channel.link(), entry);
        } catch (IOException e) {
            throw new ChannelException("cannot watch the " + entry.channel + ": " + e.getMessage(), e);
        }
        active.put(entry.channel, entry);
        if (entry.channel.process() != null) {
            live.add(entry.channel.process());
        }
        if (kill && entry.channel.process() != null) {
            entry.channel.process().kill();
        }
    }

    /**
     * Stops watching a channel; with autoclose, closes it.
     *
     * @param channel the channel; nothing happens if it is not watched
     */
    void remove(Channel channel) {
        WatchedChannel entry = active.remove(channel);
        if (entry == null) {
            return;
        }
        if (entry.channel.process() != null) {
            live.remove(entry.channel.process());
        }
        watcher.deregister(entry.channel.link());
        if (autoclose) {
            entry.channel.close();
        }
    }

    /**
     * Stops watching a channel without closing it, handing it to the caller.
     *
     * @param entry the channel and its job
     */
    void detach(WatchedChannel entry) {
        if (active.remove(entry.channel) != null) {
            watcher.deregister(entry.channel.link());
            if (entry.channel.process() != null) {
                live.remove(entry.channel.process());
            }
        }
    }

    /** Stops watching a channel that ended, closes it and lists it in {@link #removed()}. */
    void drop(WatchedChannel entry) {
        remove(entry.channel);
        removed.add(entry.channel);
        entry.channel.close();
    }

    /** @return the entry of a watched channel, or {@code null} */
    WatchedChannel get(Channel channel) {
        return active.get(channel);
    }

    /** @return whether the channel is watched */
    boolean contains(Channel channel) {
        return active.containsKey(channel);
    }

    int size() {
        return active.size();
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    /** @return the watched entries, in the order they were added (a live view) */
    Collection<WatchedChannel> entries() {
        return active.values();
    }

    /** @return the watched channels, in the order they were added */
    List<Channel> channels() {
        return List.copyOf(active.keySet());
    }

    /** @return the channels removed by the last wait because they had ended */
    List<Channel> removed() {
        return Collections.unmodifiableList(removed);
    }

    /**
     * Waits for channels to be ready: those with input buffered first, then what the poller
     * reports, each handed to {@code classify}, which adds it to the result if it is ready.
     * Before waiting, forgets the last wait's removed channels and drops the ends reported once.
     *
     * @param timeout {@code null} waits until one is ready or none is left, zero just looks
     * @param classify sorts a channel that has input or has ended
     * @return the ready channels, possibly empty
     * @throws ChannelInterruptedException if the thread was interrupted while waiting (or would
     *     have waited with its interrupt status set); the status stays set
     */
    List<Channel> awaitReady(Duration timeout, BiConsumer<WatchedChannel, List<Channel>> classify) {
        removed.clear();
        dropReportedEnds();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        List<Channel> result = new ArrayList<>();
        while (true) {
            for (WatchedChannel entry : List.copyOf(active.values())) {
                if (entry.channel.hasBufferedInput()) {
                    classify.accept(entry, result);
                }
            }
            if (!result.isEmpty() || active.isEmpty()) {
                return result;
            }
            long wait;
            if (timeout == null) {
                wait = -1;
            } else {
                long left = deadline - System.nanoTime();
                wait = left <= 0 ? 0 : Math.max(1, left / 1_000_000);
            }
            if (wait != 0 && Thread.currentThread().isInterrupted()) {
                throw new ChannelInterruptedException("interrupted while waiting for ready channels among "
                        + active.size() + " active; the exchange stays usable", null);
            }
            List<Object> selected;
            try {
                selected = watcher.select(wait);
            } catch (IOException e) {
                throw new ChannelException("cannot wait for channels: " + e.getMessage(), e);
            }
            for (Object o : selected) {
                WatchedChannel entry = (WatchedChannel) o;
                if (active.get(entry.channel) == entry && !result.contains(entry.channel)) {
                    classify.accept(entry, result);
                }
            }
            if (!result.isEmpty() || (timeout != null && System.nanoTime() - deadline >= 0)) {
                return result;
            }
        }
    }

    private void dropReportedEnds() {
        List<WatchedChannel> ended = new ArrayList<>();
        for (WatchedChannel entry : active.values()) {
            if (entry.reportedEnd) {
                ended.add(entry);
            }
        }
        for (WatchedChannel entry : ended) {
            remove(entry.channel);
            entry.channel.close();
            removed.add(entry.channel);
        }
    }

    /** Kills (SIGKILL) the process of every watched channel; safe from any thread. */
    void killAll() {
        for (ChildProcess process : live) {
            process.kill();
        }
    }

    /** Ends every watched child (SIGKILL), closes the channels and the poller. */
    void close() {
        for (WatchedChannel entry : active.values()) {
            entry.channel.terminate();
        }
        active.clear();
        live.clear();
        watcher.close();
    }

    /** @return the channel as this library's parent's end, for {@link #add} */
    static FrameChannel parentEnd(Channel channel) {
        if (!(channel instanceof FrameChannel)) {
            throw new IllegalArgumentException("not a pprocess channel: " + channel);
        }
        if (channel.pid() == 0) {
            throw new IllegalArgumentException("an exchange watches parents' ends; this is a child's end");
        }
        return (FrameChannel) channel;
    }
}
