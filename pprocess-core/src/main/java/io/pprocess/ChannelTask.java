package io.pprocess;

import java.io.Serializable;

/**
 * Runs in a created process with that process's end of a {@link Channel}.
 *
 * <p>A task is sent to the child process as data: write it as a lambda or a method reference
 * whose target type is this interface, or as a class with serialisable state. Everything it
 * captures is copied into the child, so changes the child makes to captured objects are never
 * seen by the parent (as with pprocess, which forks).
 *
 * <pre>{@code
 * Channel channel = PProcess.start(ch -> ch.send(6 * 7));
 * int answer = channel.receive();
 * }</pre>
 *
 * <p>If {@link #run} throws, the exception is sent to the parent, whose next
 * {@link Channel#receive()} throws it as a {@link RemoteException}. When {@code run} returns
 * the child closes its channel and exits with status 0.
 */
@FunctionalInterface
public interface ChannelTask extends Serializable {

    /**
     * Does the child's work, talking to the parent over {@code channel}.
     *
     * @param channel the child's end of the channel; its {@link Channel#pid()} is 0
     * @throws Exception anything; it is delivered to the parent
     */
    void run(Channel channel) throws Exception;
}
