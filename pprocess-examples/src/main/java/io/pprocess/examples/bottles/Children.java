package io.pprocess.examples.bottles;

import io.pprocess.Channel;
import io.pprocess.ChannelTask1;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Pattern;

/** The tasks of the bottles programs' children, each one continuous: it sends many messages. */
final class Children {

    /** How long a follower waits before looking for more of its file. */
    private static final long POLL_MILLIS = 10;

    private Children() {
    }

    /**
     * Follows a file like {@code tail -f} from its start: sends each complete line as a
     * {@link Messages.Line} as soon as it is written, until the line {@link Song#END}; then
     * sends {@link Messages.Ended} and ends.
     */
    static final ChannelTask1<String> FOLLOW = (Channel channel, String path) -> {
        Path file = Path.of(path);
        String name = file.getFileName().toString();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int number = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buffer.clear();
                if (in.read(buffer) <= 0) {
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b != '\n') {
                        partial.write(b);
                        continue;
                    }
                    String text = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    if (text.equals(Song.END)) {
                        channel.send(new Messages.Ended(name));
                        return;
                    }
                    channel.send(new Messages.Line(name, ++number, text));
                }
            }
        }
    };

    /**
     * Greps the lines the parent sends for a regular expression and sends back each
     * {@link Messages.Match}; ends when the parent sends {@code null}.
     */
    static final ChannelTask1<String> GREP = (Channel channel, String regex) -> {
        Pattern pattern = Pattern.compile(regex);
        Messages.Line line;
        while ((line = channel.receive()) != null) {
            if (pattern.matcher(line.text()).find()) {
                channel.send(new Messages.Match(regex, line));
            }
        }
    };

    /**
     * Sends a {@link Messages.Beat} every {@code intervalNanos} until the parent sends anything
     * ({@code null} by convention).
     */
    static final ChannelTask1<Long> HEARTBEAT = (Channel channel, Long intervalNanos) -> {
        Duration interval = Duration.ofNanos(intervalNanos);
        int count = 0;
        while (!channel.ready(interval)) {
            channel.send(new Messages.Beat(++count));
        }
        channel.receive();
    };
}
