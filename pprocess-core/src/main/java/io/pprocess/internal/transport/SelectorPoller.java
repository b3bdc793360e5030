package io.pprocess.internal.transport;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Poller} for {@link SocketLink}s: a JDK selector (epoll on Linux, kqueue on macOS). */
final class SelectorPoller implements Poller {
    private final Selector selector;
    private final Map<Link, SelectionKey> keys = new IdentityHashMap<>();

    SelectorPoller() throws IOException {
        selector = Selector.open();
    }

    @Override
    public void register(Link link, Object attachment) throws IOException {
        if (!(link instanceof SocketLink)) {
            throw new IllegalArgumentException("not a socket link: " + link);
        }
        SocketLink socket = (SocketLink) link;
        socket.makeSelectable();
        keys.put(link, socket.channel().register(selector, SelectionKey.OP_READ, attachment));
    }

    @Override
    public void deregister(Link link) {
        SelectionKey key = keys.remove(link);
        if (key != null) {
            key.cancel();
        }
    }

    @Override
    public List<Object> select(long timeoutMillis) throws IOException {
        if (timeoutMillis < 0) {
            selector.select();
        } else if (timeoutMillis == 0) {
            selector.selectNow();
        } else {
            selector.select(timeoutMillis);
        }
        List<Object> ready = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
            try {
                if (key.isValid() && key.isReadable()) {
                    ready.add(key.attachment());
                }
            } catch (CancelledKeyException e) {
                // Deregistered meanwhile: not ready.
            }
        }
        selector.selectedKeys().clear();
        return ready;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        keys.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // The selector is being dropped.
        }
    }
}
