package io.pprocess.examples.bottles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The song, and the writer that makes the followed files grow: verse after verse, each verse
 * to the next file in turn, a pause after each line, and finally {@link #END} in every file.
 */
final class Song {

    /** The line that ends each file; followers stop at it and do not pass it on. */
    static final String END = "-- end of song --";

    private Song() {
    }

    /**
     * The lines of the song from {@code bottles} down to none, verse by verse.
     *
     * @param bottles the number of bottles at the start
     * @return the verses, each two lines
     */
    static List<List<String>> verses(int bottles) {
        List<List<String>> verses = new ArrayList<>();
        for (int n = bottles; n > 0; n--) {
            verses.add(List.of(
                    capitalised(count(n)) + " of beer on the wall, " + count(n) + " of beer.",
                    "Take one down and pass it around, " + count(n - 1) + " of beer on the wall."));
        }
        verses.add(List.of(
                "No more bottles of beer on the wall, no more bottles of beer.",
                "Go to the store and buy some more, " + count(bottles) + " of beer on the wall."));
        return verses;
    }

    /**
     * Writes the song into the files, verse {@code v} to file {@code v % files.size()}, pausing
     * after each line; then ends every file with {@link #END}, even when writing failed.
     *
     * @param files the files, which must exist
     * @param bottles the number of bottles at the start
     * @param pauseNanos the pause after each line
     * @throws IOException if a file cannot be written
     * @throws InterruptedException if interrupted while pausing
     */
    static void write(List<Path> files, int bottles, long pauseNanos) throws IOException, InterruptedException {
        try {
            List<List<String>> verses = verses(bottles);
            for (int v = 0; v < verses.size(); v++) {
                for (String line : verses.get(v)) {
                    append(files.get(v % files.size()), line);
                    TimeUnit.NANOSECONDS.sleep(pauseNanos);
                }
            }
        } finally {
            for (Path file : files) {
                append(file, END);
            }
        }
    }

    private static void append(Path file, String line) throws IOException {
        Files.write(file, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }

    private static String count(int n) {
        return switch (n) {
            case 0 -> "no more bottles";
            case 1 -> "1 bottle";
            default -> n + " bottles";
        };
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
