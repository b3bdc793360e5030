package io.pprocess.internal.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the rendezvous directories ({@code pprocess-<pid>-<n>/p.sock}) that the socket
 * transport of a process killed with SIGKILL left behind.
 *
 * <p>A directory is removed only if all of these hold: its name is the transport's; it is a
 * real directory (not a link) owned by this user with mode 0700; it holds nothing but the
 * socket file {@code p.sock}; its owner is dead (the pid in its name is not running, and nothing
 * listens at its socket: connecting is refused). A directory named in the older form without a
 * pid ({@code pprocess-<n>}) is removed on the socket test alone, or, if it is empty, once it is
 * ten minutes old.
 */
final class StaleDirectories {
    /** The name of a transport's directory: the owner's pid and a random number, or (older) a number. */
    private static final Pattern NAME = Pattern.compile("pprocess-(?:(\\d+)-)?\\d+");
    static final String SOCKET = "p.sock";
    private static final Duration EMPTY_AGE = Duration.ofMinutes(10);

    private StaleDirectories() {
    }

    /**
     * Removes the stale directories in {@code root}; never throws.
     *
     * @param root the temporary directory
     * @return the directories removed
     */
    static List<Path> sweep(Path root) {
        List<Path> removed = new ArrayList<>();
        Object me;
        try {
            me = Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return removed;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "pprocess-*")) {
            for (Path dir : dirs) {
                try {
                    if (isStale(dir, me)) {
                        Files.deleteIfExists(dir.resolve(SOCKET));
                        Files.delete(dir);
                        removed.add(dir);
                    }
                } catch (IOException | RuntimeException e) {
                    // In use, changed meanwhile, or not ours: left alone.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No temporary directory to look at.
        }
        return removed;
    }

    private static boolean isStale(Path dir, Object me) throws IOException {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!me.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!mode.equals(PosixFilePermissions.fromString("rwx------"))) {
            return false;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> inside = Files.newDirectoryStream(dir)) {
            for (Path p : inside) {
                entries.add(p);
            }
        }
        Long pid = m.group(1) == null ? null : Long.valueOf(m.group(1));
        if (pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        if (entries.isEmpty()) {
            if (pid != null) {
                return true;
            }
            Instant modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
            return modified.plus(EMPTY_AGE).isBefore(Instant.now());
        }
        if (entries.size() != 1 || !entries.get(0).getFileName().toString().equals(SOCKET)) {
            return false;
        }
        Path socket = entries.get(0);
        if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(socket)) {
            return false;
        }
        return nobodyListens(socket);
    }

    private static boolean nobodyListens(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).contains("refused");
        }
    }
}
