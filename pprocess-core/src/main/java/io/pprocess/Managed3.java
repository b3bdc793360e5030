package io.pprocess;

/**
 * A managed callable of three arguments, returned by
 * {@link Exchange#manage(ChannelTask3)}: calling it starts the task in the exchange.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 */
@FunctionalInterface
public interface Managed3<A, B, C> {

    /**
     * Starts the task with these arguments (queued if the exchange is busy).
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     */
    void call(A a, B b, C c);
}
