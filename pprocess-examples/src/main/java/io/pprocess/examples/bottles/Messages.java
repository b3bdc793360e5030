package io.pprocess.examples.bottles;

/** The messages the children of the bottles programs send. */
final class Messages {

    private Messages() {
    }

    /**
     * A new line of a followed file.
     *
     * @param file the file's name
     * @param number the line number, from 1
     * @param text the line, without its end
     */
    record Line(String file, int number, String text) {
    }

    /**
     * A line that matched a grep child's pattern.
     *
     * @param pattern the pattern
     * @param line the line
     */
    record Match(String pattern, Line line) {
    }

    /**
     * A follower reached the end of its file's song.
     *
     * @param file the file's name
     */
    record Ended(String file) {
    }

    /**
     * A heartbeat.
     *
     * @param count how many heartbeats the child has sent, this one included
     */
    record Beat(int count) {
    }
}
