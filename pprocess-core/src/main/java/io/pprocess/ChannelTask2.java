package io.pprocess;

import java.io.Serializable;

/**
 * A {@link ChannelTask} that takes two arguments, for
 * {@link PProcess#start(ChannelTask2, Object, Object)}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 */
@FunctionalInterface
public interface ChannelTask2<A, B> extends Serializable {

    /**
     * Does the child's work.
     *
     * @param channel the child's end of the channel
     * @param a the first argument
     * @param b the second argument
     * @throws Exception anything; it is delivered to the parent
     */
    void run(Channel channel, A a, B b) throws Exception;
}
