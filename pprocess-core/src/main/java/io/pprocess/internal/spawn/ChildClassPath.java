package io.pprocess.internal.spawn;

import io.pprocess.internal.Setting;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Where a child JVM finds the code: its class path and module path.
 *
 * <p>A child runs the parent's code, so it needs the parent's classes wherever they really
 * are, which is often not {@code java.class.path}: {@code mvn exec:java}, IDE and test runners
 * and application servers load the application through class loaders of their own, and an
 * executable jar names its libraries in its manifest or nests them inside itself (a Spring
 * Boot jar). {@link #discover} gathers, in this order and without duplicates:
 * <ol>
 *   <li>the entries of {@code java.class.path}, each jar followed by what its manifest's
 *       {@code Class-Path} names (recursively, relative to the jar);</li>
 *   <li>the URLs of every {@link URLClassLoader} between the system class loader and the
 *       thread context class loader (then the loader of pprocess itself), outermost first;</li>
 *   <li>jars nested in a jar ({@code jar:nested:} and {@code jar:file:...!/...} URLs, as a
 *       Spring Boot launcher uses), unpacked once into
 *       {@code $XDG_CACHE_HOME/pprocess/nested} (or {@code ~/.cache/pprocess/nested});</li>
 *   <li>the jars or directories holding pprocess, Kryo and their dependencies, if not there
 *       already.</li>
 * </ol>
 * An explicit class path ({@code PProcess.setClassPath}, {@code -Dpprocess.classPath},
 * {@code PPROCESS_CLASS_PATH}) replaces steps 1 to 3; pprocess's own jars are still added.
 *
 * <p>When pprocess itself was loaded as a named module, children are started on the parent's
 * module path ({@code jdk.module.path}) with its main class given as a module's.
 */
public final class ChildClassPath {
    /** Environment variable giving children's class path explicitly. */
    public static final String ENV_CLASS_PATH = Setting.CLASS_PATH.environment();
    /** System property giving children's class path explicitly. */
    public static final String PROPERTY_CLASS_PATH = Setting.CLASS_PATH.key();

    private static volatile String explicit = initialExplicit();
    private static volatile Cached cached;

    /**
     * What a child is started with.
     *
     * @param classPath the class path entries, absolute
     * @param modulePath the module path entries, absolute; empty when pprocess is not a named
     *     module
     */
    public record Paths(List<String> classPath, List<String> modulePath) {
        /** @return the class path as one {@code -cp} argument */
        public String classPathString() {
            return String.join(File.pathSeparator, classPath);
        }

        /** @return the module path as one {@code --module-path} argument */
        public String modulePathString() {
            return String.join(File.pathSeparator, modulePath);
        }

        /** @return whether children are started on the module path */
        public boolean onModulePath() {
            return !modulePath.isEmpty();
        }
    }

    private record Cached(String explicit, ClassLoader context, Paths paths) {
    }

    private ChildClassPath() {
    }

    private static String initialExplicit() {
        return Setting.CLASS_PATH.raw();
    }

    /**
     * Sets the class path of children started from now on, or goes back to discovering it.
     *
     * @param classPath entries separated by {@link File#pathSeparator}, or {@code null} to
     *     discover them
     * @throws IllegalArgumentException if {@code classPath} is blank
     */
    public static void setExplicit(String classPath) {
        if (classPath != null && classPath.isBlank()) {
            throw new IllegalArgumentException("blank class path: use null to discover it");
        }
        explicit = classPath;
        cached = null;
    }

    /** @return the class path set explicitly, or {@code null} when it is discovered */
    public static String explicit() {
        return explicit;
    }

    /**
     * Returns where children started now find the code; computed once for each explicit
     * setting and context class loader.
     *
     * @return the paths
     */
    public static Paths current() {
        String e = explicit;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        Cached c = cached;
        if (c != null && Objects.equals(c.explicit, e) && c.context == context) {
            return c.paths;
        }
        Paths paths = discover(e, System.getProperty("java.class.path", ""), context);
        cached = new Cached(e, context, paths);
        return paths;
    }

    /**
     * Builds the children's class path and module path.
     *
     * @param explicitClassPath a class path set by the user, or {@code null}
     * @param systemClassPath {@code java.class.path}
     * @param context the thread context class loader, or {@code null}
     * @return the paths
     */
    static Paths discover(String explicitClassPath, String systemClassPath, ClassLoader context) {
        Set<String> entries = new LinkedHashSet<>();
        if (explicitClassPath != null) {
            for (String entry : explicitClassPath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(absolute(entry));
                }
            }
        } else {
            if (!systemClassPath.isEmpty()) {
                for (String entry : systemClassPath.split(File.pathSeparator, -1)) {
                    addWithManifest(entries, absolute(entry), 0);
                }
            }
            for (ClassLoader loader : loaders(context)) {
                for (URL url : ((URLClassLoader) loader).getURLs()) {
                    addUrl(entries, url);
                }
            }
        }
        List<String> modulePath = new ArrayList<>();
        if (ChildClassPath.class.getModule().isNamed()) {
            for (String entry : System.getProperty("jdk.module.path", "").split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    modulePath.add(absolute(entry));
                }
            }
        } else {
            for (String own : ownLocations()) {
                entries.add(own);
            }
        }
        return new Paths(List.copyOf(entries), List.copyOf(modulePath));
    }

    /**
     * The URL class loaders from the outermost (nearest the system class loader) to the
     * innermost, of the context class loader's chain and then pprocess's own loader's chain.
     */
    private static List<ClassLoader> loaders(ClassLoader context) {
        Set<ClassLoader> stop = new LinkedHashSet<>();
        for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
            stop.add(l);
        }
        Set<ClassLoader> out = new LinkedHashSet<>();
        for (ClassLoader start : new ClassLoader[] {context, ChildClassPath.class.getClassLoader()}) {
            Deque<ClassLoader> chain = new ArrayDeque<>();
            for (ClassLoader l = start; l != null && !stop.contains(l); l = l.getParent()) {
                if (l instanceof URLClassLoader) {
                    chain.push(l);
                }
            }
            out.addAll(chain);
        }
        return new ArrayList<>(out);
    }

    private static void addUrl(Set<String> entries, URL url) {
        String protocol = url.getProtocol();
        try {
            if ("file".equals(protocol)) {
                addWithManifest(entries, Path.of(url.toURI()).toString(), 0);
            } else if ("jar".equals(protocol)) {
                String unpacked = Nested.unpack(url.toString());
                if (unpacked != null) {
                    entries.add(unpacked);
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // Not a local file: a child could not use it either.
        }
    }

    /** Adds {@code entry} and, if it is a jar, what its manifest's {@code Class-Path} names. */
    private static void addWithManifest(Set<String> entries, String entry, int depth) {
        if (!entries.add(entry) || depth > 8 || !entry.endsWith(".jar")) {
            return;
        }
        Path jar = Path.of(entry);
        if (!Files.isRegularFile(jar)) {
            return;
        }
        String classPath;
        try {
            Manifest manifest = manifest(jar);
            classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            return;
        }
        if (classPath == null) {
            return;
        }
        Path base = jar.toAbsolutePath().getParent();
        for (String item : classPath.trim().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(item);
                Path p = uri.isAbsolute() ? Path.of(uri) : base.resolve(URLDecoder.decode(item, StandardCharsets.UTF_8));
                addWithManifest(entries, p.normalize().toString(), depth + 1);
            } catch (URISyntaxException | IllegalArgumentException e) {
                // An entry a JVM would skip as well.
            }
        }
    }

    /**
     * Reads a jar's manifest: from the start of the file when it is among the first entries, as
     * the jar tool and Maven put it, else through the central directory. Opening a jar reads
     * its whole central directory (tens of milliseconds for a shaded jar of 20,000 entries),
     * which a new JVM would otherwise pay once more for every jar before its first start.
     */
    static Manifest manifest(Path jar) throws IOException {
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(jar), 8192), false)) {
            Manifest manifest = in.getManifest();
            if (manifest != null) {
                return manifest;
            }
        } catch (IOException | RuntimeException e) {
            // Not readable as a stream from its start: the central directory decides below.
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            return file.getManifest();
        }
    }

    /** Where the classes of pprocess, Kryo and their dependencies are, as class path entries. */
    private static List<String> ownLocations() {
        List<String> out = new ArrayList<>();
        for (String name : new String[] {"io.pprocess.PProcess", "com.esotericsoftware.kryo.Kryo",
                "org.objenesis.Objenesis", "com.esotericsoftware.minlog.Log",
                "com.esotericsoftware.reflectasm.MethodAccess"}) {
            try {
                Class<?> c = Class.forName(name, false, ChildClassPath.class.getClassLoader());
                CodeSource source = c.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null) {
                    continue;
                }
                URL location = source.getLocation();
                if ("file".equals(location.getProtocol())) {
                    out.add(Path.of(location.toURI()).toString());
                } else if ("jar".equals(location.getProtocol())) {
                    String unpacked = Nested.unpack(location.toString());
                    if (unpacked != null) {
                        out.add(unpacked);
                    }
                }
            } catch (ClassNotFoundException | LinkageError | URISyntaxException | SecurityException
                     | IllegalArgumentException e) {
                // Not there (an optional dependency) or not a local file.
            }
        }
        return out;
    }

    static String absolute(String entry) {
        // An empty entry stands for the working directory.
        return Path.of(entry).toAbsolutePath().normalize().toString();
    }

    /**
     * Jars and class directories nested in a jar, unpacked into a cache directory so that a
     * child can put them on a plain class path.
     */
    static final class Nested {
        private Nested() {
        }

        /**
         * Unpacks what a nested-jar URL names: {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}
         * (Spring Boot 3.2 and later) or {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}. A
         * directory inside the jar ({@code BOOT-INF/classes/}) becomes a jar of its entries.
         *
         * @param url the URL
         * @return the local path to put on a class path, or {@code null} if the URL names no
         *     nested entry or cannot be unpacked
         */
        static String unpack(String url) {
            String rest = url.substring("jar:".length());
            String outer;
            String inner;
            if (rest.startsWith("nested:")) {
                rest = rest.substring("nested:".length());
                int bang = rest.indexOf("/!");
                if (bang < 0) {
                    return null;
                }
                outer = rest.substring(0, bang);
                inner = rest.substring(bang + 2);
            } else if (rest.startsWith("file:")) {
                int bang = rest.indexOf("!/");
                if (bang < 0) {
                    return null;
                }
                try {
                    outer = Path.of(new URI(rest.substring(0, bang))).toString();
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return null;
                }
                inner = rest.substring(bang + 2);
            } else {
                return null;
            }
            if (inner.endsWith("!/")) {
                inner = inner.substring(0, inner.length() - 2);
            }
            while (inner.startsWith("/")) {
                inner = inner.substring(1);
            }
            outer = URLDecoder.decode(outer.replace("+", "%2B"), StandardCharsets.UTF_8);
            inner = URLDecoder.decode(inner.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (inner.isEmpty()) {
                return outer;
            }
            try {
                return extract(Path.of(outer), inner, cacheDirectory()).toString();
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                System.err.println("pprocess: cannot unpack " + inner + " from " + outer
                        + " for child processes: " + e.getMessage());
                return null;
            }
        }

        /**
         * Unpacks {@code inner} of {@code jar} into {@code cache}, once per version of the jar.
         *
         * @param jar the outer jar
         * @param inner the entry: a jar, or a directory that is packed as a jar
         * @param cache the cache directory
         * @return the unpacked jar
         * @throws IOException if it cannot be read or written
         */
        static Path extract(Path jar, String inner, Path cache) throws IOException {
            Path dir = cache.resolve(key(jar));
            String name = inner.endsWith("/") || !inner.endsWith(".jar")
                    ? inner.replaceAll("/+$", "").replace('/', '_') + ".jar"
                    : inner.substring(inner.lastIndexOf('/') + 1);
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target)) {
                return target;
            }
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, name, ".tmp");
            try {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    JarEntry entry = file.getJarEntry(inner);
                    if (entry != null && !entry.isDirectory()) {
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                        }
                    } else {
                        String prefix = inner.endsWith("/") ? inner : inner + "/";
                        packDirectory(file, prefix, temp);
                    }
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        }

        private static void packDirectory(JarFile file, String prefix, Path target) throws IOException {
            try (OutputStream raw = Files.newOutputStream(target);
                 JarOutputStream out = new JarOutputStream(raw)) {
                Enumeration<JarEntry> all = file.entries();
                while (all.hasMoreElements()) {
                    JarEntry entry = all.nextElement();
                    String name = entry.getName();
                    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(name.substring(prefix.length()));
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    if (!entry.isDirectory()) {
                        try (InputStream in = file.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
        }

        /** A digest of the jar's path, size and time: a rebuilt jar is unpacked again. */
        private static String key(Path jar) throws IOException {
            Path real = jar.toRealPath();
            String identity = real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis();
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(Arrays.copyOf(digest, 12));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Path cacheDirectory() throws IOException {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                    : Path.of(System.getProperty("user.home"), ".cache");
            Path dir = base.resolve("pprocess").resolve("nested");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(base.resolve("pprocess"));
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    // Another JVM made it first.
                }
            }
            return dir;
        }
    }
}
