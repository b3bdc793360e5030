package io.pprocess;

/**
 * Takes the data of a ready channel for an {@link Exchange}: the lambda form of overriding
 * {@link Exchange#storeData(Channel)}.
 *
 * <pre>{@code
 * List<Integer> results = new ArrayList<>();
 * Exchange exchange = new Exchange(ExchangeOptions.defaults().limit(4),
 *         channel -> results.add(channel.receive()));
 * }</pre>
 */
@FunctionalInterface
public interface StoreHandler {

    /**
     * Receives what the channel has, usually with one {@link Channel#receive()}.
     *
     * @param channel a channel with a message waiting, or one whose child ended without
     *     finishing (then {@code receive()} throws {@link ChildProcessException})
     * @throws Exception anything; it propagates from {@link Exchange#store()}
     */
    void store(Channel channel) throws Exception;
}
