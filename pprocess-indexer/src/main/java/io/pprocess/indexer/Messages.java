package io.pprocess.indexer;

import java.util.List;

/**
 * The values that cross the channel between the parent and a child indexing one slice.
 *
 * <p>The parent sends a {@link Slice} as the task argument. The child answers with, for each of
 * the slice's files in order, either one or more {@link FileWords} (the last one flagged) or one
 * {@link FileSkipped}; then it ends. A file the parent has heard nothing final about when the
 * child's channel ends was not indexed: that is how a failed child is detected.
 */
final class Messages {

    private Messages() {
    }

    /**
     * The work of one child: consecutive files of the sorted file list.
     *
     * @param index the slice's number, from 0
     * @param firstFile the number of the first file in the parent's sorted list
     * @param paths the absolute paths of the files, in order
     * @param delayMillis how long to sleep before each file (the original's {@code delay})
     */
    record Slice(int index, int firstFile, List<String> paths, long delayMillis) {
        Slice {
            paths = List.copyOf(paths);
        }

        /** @return the number of the file after the last one of this slice */
        int endFile() {
            return firstFile + paths.size();
        }
    }

    /**
     * Words of one file with the lines where each occurs. A file with many distinct words is
     * sent in several parts with disjoint words; {@code last} marks the final part.
     *
     * @param file the file's number in the parent's sorted list
     * @param bytes the file's size in bytes (meaningful in the last part)
     * @param words distinct words (analysed: lower case, ASCII-folded)
     * @param lines for each word, its line numbers (from 1), ascending and distinct
     * @param last whether this is the file's final part
     */
    record FileWords(int file, long bytes, String[] words, int[][] lines, boolean last) {
    }

    /**
     * A file the child did not index.
     *
     * @param file the file's number in the parent's sorted list
     * @param reason why, for a warning
     */
    record FileSkipped(int file, String reason) {
    }
}
