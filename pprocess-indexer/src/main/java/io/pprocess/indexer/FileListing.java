package io.pprocess.indexer;

import io.pprocess.indexer.Messages.Slice;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The files to index, in a stable order, and their division into slices.
 *
 * <p>A file is listed once, by its real path: when symbolic links in the tree lead to a file
 * that is listed already (or several links lead to one file), the file keeps one name (its
 * own, if the file itself is in the tree, else the first of the links' names in sorted order)
 * and the other names are its {@link #aliases}.
 *
 * @param root the directory
 * @param files the regular files (symbolic links to files included), sorted by {@link #names}
 * @param names the files' paths relative to {@code root}, with {@code /} separators
 * @param sizes the files' sizes in bytes when listed
 * @param aliases for each file, the other names in the tree that lead to it (symbolic links),
 *     sorted; mostly empty
 * @param subdirectories how many subdirectories of {@code root} were not entered (0 when
 *     listing recursively)
 */
record FileListing(Path root, List<Path> files, List<String> names, long[] sizes, List<List<String>> aliases,
                   int subdirectories) {

    /** Creates a listing without aliases or subdirectories left out. */
    FileListing(Path root, List<Path> files, List<String> names, long[] sizes) {
        this(root, files, names, sizes, java.util.Collections.nCopies(files.size(), List.of()), 0);
    }

    /** The original's slice size. */
    static final int DEFAULT_SLICE = 5;

    /**
     * Lists the regular files of a directory.
     *
     * @param root the directory
     * @param recursive whether to descend into subdirectories (symbolic links to directories
     *     are not followed); without it, the subdirectories are counted
     * @param warn receives a message for each entry that could not be read
     * @return the listing, sorted by relative path
     * @throws IOException if the directory itself cannot be read
     */
    static FileListing list(Path root, boolean recursive, Consumer<String> warn) throws IOException {
        Path realRoot = root.toRealPath();
        Map<Path, Entry> byRealPath = new HashMap<>();
        int[] subdirectories = new int[1];
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        BasicFileAttributes a = attrs;
                        Path real;
                        String name = relative(root, file);
                        if (a.isSymbolicLink()) {
                            try {
                                a = Files.readAttributes(file, BasicFileAttributes.class);
                                real = file.toRealPath();
                            } catch (IOException e) {
                                return FileVisitResult.CONTINUE; // a dangling link: nothing to index
                            }
                        } else {
                            // Directories on the way were entered, not followed: the path is real.
                            real = realRoot.resolve(root.relativize(file));
                            if (a.isDirectory() && !recursive) {
                                subdirectories[0]++;
                            }
                        }
                        if (a.isRegularFile()) {
                            long size = a.size();
                            Entry entry = byRealPath.computeIfAbsent(real, r -> new Entry(file, size));
                            entry.name(name, !attrs.isSymbolicLink());
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (file.equals(root)) {
                            throw e;
                        }
                        warn.accept("cannot read " + relative(root, file) + ": " + describe(e));
                        return FileVisitResult.CONTINUE;
                    }
                });
        List<Entry> entries = new ArrayList<>(byRealPath.values());
        for (Entry e : entries) {
            e.settle(root);
        }
        entries.sort(Comparator.comparing(e -> e.name));
        List<Path> files = new ArrayList<>(entries.size());
        List<String> names = new ArrayList<>(entries.size());
        List<List<String>> aliases = new ArrayList<>(entries.size());
        long[] sizes = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            files.add(e.path);
            names.add(e.name);
            aliases.add(List.copyOf(e.others));
            sizes[i] = e.size;
        }
        return new FileListing(root, List.copyOf(files), List.copyOf(names), sizes, List.copyOf(aliases),
                subdirectories[0]);
    }

    /** @return how many files have names besides their own (symbolic links to them) */
    int aliasedFiles() {
        int n = 0;
        for (List<String> a : aliases) {
            if (!a.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** @return the number of files */
    int size() {
        return files.size();
    }

    /** @return the sum of the files' sizes */
    long totalBytes() {
        long sum = 0;
        for (long s : sizes) {
            sum += s;
        }
        return sum;
    }

    /**
     * Cuts the list into consecutive slices of {@code slice} files (the last one may be shorter).
     *
     * @param slice files per slice, at least 1
     * @param delayMillis the per-file delay given to each child
     * @return the slices, in file order
     */
    List<Slice> slices(int slice, long delayMillis) {
        if (slice < 1) {
            throw new IllegalArgumentException("slice < 1: " + slice);
        }
        List<Slice> out = new ArrayList<>();
        for (int from = 0; from < files.size(); from += slice) {
            out.add(slice(out.size(), from, Math.min(files.size(), from + slice), delayMillis));
        }
        return out;
    }

    private Slice slice(int index, int from, int to, long delayMillis) {
        return slice(index, from, to, delayMillis, false);
    }

    /**
     * Returns the files {@code from} to {@code to} as a slice.
     *
     * @param index the number of the child's share
     * @param from the first file
     * @param to the file after the last
     * @param delayMillis the per-file delay
     * @param shared whether the child asks for more when it starts these (see {@link Slice})
     * @return the slice
     */
    Slice slice(int index, int from, int to, long delayMillis, boolean shared) {
        return slice(index, from, to, delayMillis, shared, false);
    }

    /**
     * Returns the files {@code from} to {@code to} as a slice.
     *
     * @param index the number of the child's share
     * @param from the first file
     * @param to the file after the last
     * @param delayMillis the per-file delay
     * @param shared whether the child asks for more when it starts these (see {@link Slice})
     * @param last whether no file is left to hand out after these (see {@link Slice})
     * @return the slice
     */
    Slice slice(int index, int from, int to, long delayMillis, boolean shared, boolean last) {
        List<String> paths = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            paths.add(files.get(i).toAbsolutePath().toString());
        }
        return new Slice(index, from, paths, delayMillis, shared, last);
    }

    private static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        String s = rel.toString();
        return rel.getFileSystem().getSeparator().equals("/") ? s : s.replace(rel.getFileSystem().getSeparator(), "/");
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        return m == null ? type : m;
    }

    /** One real file and the names that lead to it; its own name wins, else the first link's. */
    private static final class Entry {
        private Path path;
        private final long size;
        private String name;
        private boolean own;
        private final List<String> others = new ArrayList<>(0);

        Entry(Path path, long size) {
            this.path = path;
            this.size = size;
        }

        void name(String candidate, boolean itself) {
            if (name == null) {
                name = candidate;
                own = itself;
            } else if (itself && !own || own == itself && candidate.compareTo(name) < 0) {
                others.add(name);
                name = candidate;
                own = itself;
            } else {
                others.add(candidate);
            }
        }

        void settle(Path root) {
            path = root.resolve(name);
            others.sort(null);
        }
    }
}
