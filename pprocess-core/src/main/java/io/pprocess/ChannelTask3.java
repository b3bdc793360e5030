package io.pprocess;

import java.io.Serializable;

/**
 * A {@link ChannelTask} that takes three arguments, for
 * {@link PProcess#start(ChannelTask3, Object, Object, Object)}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <C> the type of the third argument
 */
@FunctionalInterface
public interface ChannelTask3<A, B, C> extends Serializable {

    /**
     * Does the child's work.
     *
     * @param channel the child's end of the channel
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @throws Exception anything; it is delivered to the parent
     */
    void run(Channel channel, A a, B b, C c) throws Exception;
}
