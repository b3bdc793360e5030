package io.pprocess.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the persistent grid examples: the {@linkplain GridOptions grid options}, the
 * mode ({@code --start} only starts the work in background processes, {@code --reconnect}
 * only collects it, neither does both) and the directory of the socket files.
 *
 * <p>The directory is created, mode 0700, when missing. It must belong to the user running
 * the example and must not be writable by others: the socket files in it are how a later run
 * finds the background processes.
 */
public final class PersistentGridOptions implements Cli.Checked {

    @Mixin
    GridOptions grid = new GridOptions();

    @Option(names = "--start", description = "start the work in background processes and exit at once")
    boolean start;

    @Option(names = "--reconnect", description = "collect the work started earlier with --start and print the grid")
    boolean reconnect;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "the directory of the socket files, created 0700 if missing (default: ${DEFAULT-VALUE})")
    Path dir = defaultDirectory();

    /**
     * Parses the options of a persistent grid example and prepares the directory; exits on a
     * usage error.
     *
     * @param name the program's name
     * @param args the command-line arguments
     * @return the options
     */
    public static PersistentGridOptions parse(String name, String[] args) {
        return Cli.parse(name, new PersistentGridOptions(), args);
    }

    /** @return {@code ${java.io.tmpdir}/pprocess-examples-${user.name}} */
    static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pprocess-examples-" + System.getProperty("user.name"));
    }

    /**
     * Checks the values and creates the directory if it is missing.
     *
     * @throws IllegalArgumentException if a value is out of range, both modes are given, or the
     *     directory cannot be created, is not a directory, belongs to another user or is
     *     writable by others
     */
    @Override
    public void check() {
        grid.check();
        if (start && reconnect) {
            throw new IllegalArgumentException("--start and --reconnect exclude each other; give neither to do both");
        }
        dir = dir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
            if (!attributes.isDirectory()) {
                throw new IllegalArgumentException("--dir is not a directory: " + dir);
            }
            String user = System.getProperty("user.name");
            if (!attributes.owner().getName().equals(user)) {
                throw new IllegalArgumentException("--dir belongs to " + attributes.owner().getName() + ", not to " + user
                        + ": " + dir);
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException("--dir must not be writable by others (mode "
                        + PosixFilePermissions.toString(permissions) + "): " + dir);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--dir cannot be used: " + dir + ": " + e, e);
        }
    }

    /** @return the grid's side */
    public int n() {
        return grid.n();
    }

    /** @return the most child processes at once */
    public int limit() {
        return grid.limit();
    }

    /** @return the work of one cell, to be copied into child processes */
    public GridWork work() {
        return grid.work();
    }

    /** @return whether to start the work (not {@code --reconnect}) */
    public boolean starts() {
        return !reconnect;
    }

    /** @return whether to collect the work (not {@code --start}) */
    public boolean collects() {
        return !start;
    }

    /** @return the absolute directory of the socket files, which exists */
    public Path dir() {
        return dir;
    }

    /**
     * Tells how to collect the work started by this run.
     *
     * @param name the program's name
     * @return the command line of the later run
     */
    public String reconnectCommand(String name) {
        return "bin/pprocess-example " + name + " --reconnect --n " + n() + " --dir " + dir;
    }
}
