package io.pprocess;

import java.io.Serializable;

/**
 * A {@link ChannelTask} that takes one argument, for {@link PProcess#start(ChannelTask1, Object)}.
 *
 * @param <A> the type of the argument
 */
@FunctionalInterface
public interface ChannelTask1<A> extends Serializable {

    /**
     * Does the child's work.
     *
     * @param channel the child's end of the channel
     * @param a the argument given to {@code start}, copied into the child
     * @throws Exception anything; it is delivered to the parent
     */
    void run(Channel channel, A a) throws Exception;
}
