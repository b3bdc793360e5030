package io.pprocess.indexer;

import java.util.List;

/**
 * The values that cross the channel between the parent and a child indexing files, and the
 * {@link Batch}es made in the child (of which only the array of places crosses).
 *
 * <p>The parent sends a {@link Slice} as the task argument (and, when the slice is shared, more
 * slices as the child asks for them with {@link WantSlice}). The child answers with each
 * batch's array of places as it is made (a {@link java.nio.ByteBuffer}), index parts
 * ({@code byte[]}; see {@link IndexPart}), each naming the files it completes and where the
 * places of its words are in the arrays sent before it (both sent as their bytes, without the
 * serialiser), a {@link FileSkipped} for each file it could not index, and
 * {@link ReadProgress} reports a few times a second; then it ends. A file that no part
 * completed and no skip notice named when the child's channel ends was not indexed: that is
 * how a failed child is detected.
 */
final class Messages {

    private Messages() {
    }

    /**
     * Work for a child: consecutive files of the sorted file list.
     *
     * <p>With {@code shared} set, the files are one piece of a child's share of the work, and
     * the child asks for the next piece with a {@link WantSlice} when it starts this one; the
     * parent answers with another {@code Slice}, which is empty (and not shared) when every file
     * has been handed out.
     *
     * @param index the number of the child's share (with a slice size given, the slice's number),
     *     from 0
     * @param firstFile the number of the first file in the parent's sorted list
     * @param paths the absolute paths of the files, in order
     * @param delayMillis how long to sleep before each file (the original's {@code delay})
     * @param shared whether the child asks for more files when it starts these
     * @param last with {@code shared}, whether no file was left to hand out when the parent
     *     handed out this piece: the child's request for the next one will then most likely be
     *     answered with an empty slice (not surely: the pieces of a child that died are handed
     *     out again), so the child makes a batch of what it has gathered before it reads these
     *     files, and its final batch holds only theirs
     */
    record Slice(int index, int firstFile, List<String> paths, long delayMillis, boolean shared, boolean last) {
        Slice {
            paths = List.copyOf(paths);
        }

        /** A slice that is all its child's work. */
        Slice(int index, int firstFile, List<String> paths, long delayMillis) {
            this(index, firstFile, paths, delayMillis, false, false);
        }

        /** A slice that is all its child's work, or a piece of it that is not known to be the last. */
        Slice(int index, int firstFile, List<String> paths, long delayMillis, boolean shared) {
            this(index, firstFile, paths, delayMillis, shared, false);
        }

        /** @return the number of the file after the last one of this slice */
        int endFile() {
            return firstFile + paths.size();
        }
    }

    /**
     * Words found in some files of a slice, with where they occur: made by {@link BatchBuilder}
     * when enough has accumulated, and at the end of the slice, and added to the child's
     * {@link SliceIndex} (only its {@code places} cross the channel, as they are).
     *
     * <p>Words are known by numbers that the child gives them in the order it meets them, from
     * 0: a batch brings the text of the words numbered since the previous batch
     * ({@code newWords}, in number order), and names the words it has places for by number.
     * When {@code renumbered} is set, numbering has started again from 0 (the child emptied its
     * word table), and {@code newWords} starts from word 0.
     *
     * <p>The places of the word {@code words[i]} are the bytes {@code ends[i - 1]} (0 for the
     * first) to {@code ends[i]} of {@code places}: ints packed by {@link Varints}, each word's
     * range decodable on its own, so that ranges are joined by copying bytes and a word's
     * places are unpacked only when it is queried. A word's ints are blocks of {@code [file, n, line1 ..
     * linen]}: the file's number in the parent's sorted list, then {@code n} ascending line
     * numbers (from 1). Blocks are in ascending file order. A very large file may be split over
     * several batches, so a later batch may hold more lines of the same word and file.
     *
     * @param renumbered whether word numbers start again from 0 with this batch
     * @param newWords the text of the words numbered since the previous batch (analysed: lower
     *     case, ASCII-folded), in number order
     * @param words the numbers of the words this batch has places for, distinct
     * @param ends for each of {@code words}, the end of its bytes in {@code places}; ascending
     * @param places the packed ints of all words
     * @param files the files completed by this batch: all their words have now been sent
     * @param bytes for each completed file, its size in bytes as read
     */
    record Batch(boolean renumbered, String[] newWords, int[] words, int[] ends, byte[] places, int[] files,
                 long[] bytes) {
    }

    /**
     * How far a child has read since its previous progress message: for the progress display
     * only (a file counts as indexed when a {@link Batch} completes it).
     *
     * @param files files read (indexed or skipped)
     * @param bytes their size in bytes
     */
    record ReadProgress(int files, long bytes) {
    }

    /**
     * A child's request for more files: the parent answers with a {@link Slice} (empty when no
     * file is left). Sent when the child starts a shared slice, so that the answer is there when
     * it has read it.
     */
    record WantSlice() {
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
