package io.pprocess.cluster.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The driver's class path as it is shipped: every entry of {@code java.class.path} (and of the
 * {@code Class-Path} of its jars' manifests), each jar as it is and each directory packed into
 * a jar whose bytes depend only on the directory's content, named by its SHA-256. The entries
 * that hold pprocess itself or Hazelcast are left out: a node provides its own.
 */
public final class ClassPathBundle {
    /** The time given to every entry of a packed directory, so that its SHA-256 is stable. */
    private static final FileTime EPOCH = FileTime.fromMillis(315_532_800_000L);

    /** A jar to ship. */
    public record Jar(String sha256, String source, byte[] bytes) {
    }

    private final List<Jar> jars;

    private ClassPathBundle(List<Jar> jars) {
        this.jars = List.copyOf(jars);
    }

    /**
     * Builds the bundle of this JVM's class path.
     *
     * @param provided classes whose class-path entries the nodes provide themselves
     * @return the bundle
     * @throws UncheckedIOException if an entry cannot be read
     */
    public static ClassPathBundle ofThisJvm(Class<?>... provided) {
        Set<Path> skip = new LinkedHashSet<>();
        for (Class<?> c : provided) {
            Path p = location(c);
            if (p != null && onlyProvided(p)) {
                skip.add(p);
            }
        }
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                collect(Path.of(entry).toAbsolutePath().normalize(), entries);
            }
        }
        List<Jar> jars = new ArrayList<>();
        for (Path entry : entries) {
            if (skip.contains(entry) || !Files.exists(entry)) {
                continue;
            }
            try {
                byte[] bytes = Files.isDirectory(entry) ? pack(entry) : Files.readAllBytes(entry);
                jars.add(new Jar(Auth.sha256Hex(bytes), entry.toString(), bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class-path entry " + entry + ": " + e.getMessage(), e);
            }
        }
        return new ClassPathBundle(jars);
    }

    /** @return the jars, in class-path order */
    public List<Jar> jars() {
        return jars;
    }

    /** @return their SHA-256, in class-path order */
    public List<String> hashes() {
        return jars.stream().map(Jar::sha256).toList();
    }

    /** @return the total size in bytes */
    public long bytes() {
        return jars.stream().mapToLong(j -> j.bytes().length).sum();
    }

    private static void collect(Path entry, Set<Path> into) {
        if (!into.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                return;
            }
            for (String ref : classPath.trim().split("\\s+")) {
                if (ref.isEmpty()) {
                    continue;
                }
                try {
                    URI uri = entry.getParent().toUri().resolve(ref);
                    if ("file".equals(uri.getScheme())) {
                        collect(Path.of(uri).toAbsolutePath().normalize(), into);
                    }
                } catch (IllegalArgumentException e) {
                    // not a local path: the JDK would ignore it too
                }
            }
        } catch (IOException e) {
            // not a jar: the JDK ignores such an entry as well
        }
    }

    /**
     * Tells whether a class-path entry holds only what a node provides (pprocess's own
     * packages and Hazelcast): a shaded jar that also holds the program's classes is shipped.
     */
    static boolean onlyProvided(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> walk = Files.walk(entry)) {
                    return walk.filter(Files::isRegularFile).map(p -> name(entry, p)).allMatch(ClassPathBundle::provided);
                }
            }
            try (JarFile jar = new JarFile(entry.toFile())) {
                return jar.stream().map(ZipEntry::getName).allMatch(ClassPathBundle::provided);
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean provided(String name) {
        if (!name.endsWith(".class")) {
            return true;
        }
        String n = name.replaceFirst("^META-INF/versions/\\d+/", "");
        return n.equals("module-info.class") || n.startsWith("com/hazelcast/") || n.startsWith("io/pprocess/cluster/")
                || n.startsWith("io/pprocess/internal/") || (n.startsWith("io/pprocess/") && n.indexOf('/', 12) < 0);
    }

    /** Packs a directory into a jar: entries sorted by name, a fixed time, no manifest added. */
    static byte[] pack(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> !p.equals(dir)).sorted((a, b) -> name(dir, a).compareTo(name(dir, b))).toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            for (Path file : files) {
                boolean directory = Files.isDirectory(file);
                ZipEntry e = new ZipEntry(name(dir, file) + (directory ? "/" : ""));
                e.setLastModifiedTime(EPOCH);
                e.setTime(EPOCH.toMillis());
                out.putNextEntry(e);
                if (!directory) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String name(Path dir, Path file) {
        return dir.relativize(file).toString().replace(File.separatorChar, '/');
    }

    private static Path location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Returns this JVM's class path without the entries holding the given classes: what a node
     * gives its job hosts before the job's jars.
     *
     * @param without classes whose entries to leave out
     * @return the entries
     */
    public static List<String> thisJvmWithout(Class<?>... without) {
        Set<Path> skip = new LinkedHashSet<>();
        for (Class<?> c : without) {
            Path p = location(c);
            if (p != null) {
                skip.add(p);
            }
        }
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !skip.contains(Path.of(entry).toAbsolutePath().normalize())) {
                out.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return out;
    }
}
