package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClassPathTest {

    @TempDir
    Path dir;

    @Test
    void followsTheClassPathManifestsOfJarsOnTheClassPath() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path dep = jar(lib.resolve("dep.jar"), null, "x/Dep.class", "dep");
        Path depOfDep = jar(lib.resolve("deeper.jar"), null, "x/Deeper.class", "deeper");
        jar(lib.resolve("dep.jar"), "deeper.jar", "x/Dep.class", "dep");
        Path app = jar(dir.resolve("app.jar"), "lib/dep.jar lib/missing.jar", "x/App.class", "app");

        ChildClassPath.Paths paths = ChildClassPath.discover(null, app.toString(), null);

        assertThat(paths.classPath()).containsSubsequence(app.toString(), dep.toString(), depOfDep.toString());
        assertThat(paths.classPath()).contains(lib.resolve("missing.jar").toString());
    }

    @Test
    void readsAManifestThatIsNotAmongTheFirstEntries() throws IOException {
        Path late = dir.resolve("late.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(late))) {
            out.putNextEntry(new JarEntry("a/First.class"));
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry(JarFile.MANIFEST_NAME));
            out.write("Manifest-Version: 1.0\r\nClass-Path: other.jar\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        }
        Path first = jar(dir.resolve("first.jar"), "other.jar", "b/B.class", "b");

        assertThat(ChildClassPath.manifest(late).getMainAttributes().getValue(Attributes.Name.CLASS_PATH))
                .isEqualTo("other.jar");
        assertThat(ChildClassPath.manifest(first).getMainAttributes().getValue(Attributes.Name.CLASS_PATH))
                .isEqualTo("other.jar");
        assertThat(ChildClassPath.discover(null, late.toString(), null).classPath())
                .containsSubsequence(late.toString(), dir.resolve("other.jar").toString());
    }

    @Test
    void addsTheUrlsOfTheContextClassLoaderAsUnderExecJava() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("project-classes"));
        Path jar = jar(dir.resolve("project-dep.jar"), null, "y/Y.class", "y");
        try (URLClassLoader project = new URLClassLoader(new URL[] {classes.toUri().toURL(), jar.toUri().toURL()},
                ClassLoader.getSystemClassLoader())) {
            ChildClassPath.Paths paths = ChildClassPath.discover(null, "/maven/boot/plexus-classworlds.jar", project);
            assertThat(paths.classPath()).containsSubsequence("/maven/boot/plexus-classworlds.jar",
                    classes.toString(), jar.toString());
        }
    }

    @Test
    void alwaysAddsPprocessAndKryoToAnExplicitClassPath() {
        ChildClassPath.Paths paths = ChildClassPath.discover("/app/classes", "", null);
        assertThat(paths.classPath().get(0)).isEqualTo("/app/classes");
        assertThat(paths.classPath()).anyMatch(e -> e.contains("kryo"));
        assertThat(paths.classPath()).anyMatch(e -> e.endsWith("pprocess-core/target/classes") || e.contains("pprocess-core"));
    }

    @Test
    void unpacksJarsAndClassDirectoriesNestedInAnExecutableJar() throws IOException {
        Path inner = jar(dir.resolve("inner.jar"), null, "z/Inner.class", "inner bytes");
        Path boot = dir.resolve("boot.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(boot))) {
            out.putNextEntry(new JarEntry("BOOT-INF/"));
            out.putNextEntry(new JarEntry("BOOT-INF/classes/"));
            out.putNextEntry(new JarEntry("BOOT-INF/classes/app/Main.class"));
            out.write("main".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("BOOT-INF/lib/inner.jar"));
            out.write(Files.readAllBytes(inner));
        }
        Path cache = dir.resolve("cache");

        Path lib = ChildClassPath.Nested.extract(boot, "BOOT-INF/lib/inner.jar", cache);
        Path classes = ChildClassPath.Nested.extract(boot, "BOOT-INF/classes/", cache);

        assertThat(lib).hasSameBinaryContentAs(inner);
        try (JarFile packed = new JarFile(classes.toFile())) {
            assertThat(new String(packed.getInputStream(packed.getJarEntry("app/Main.class")).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("main");
        }
        assertThat(ChildClassPath.Nested.extract(boot, "BOOT-INF/lib/inner.jar", cache)).isEqualTo(lib);
        try (var left = Files.walk(cache)) {
            assertThat(left.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void readsSpringBootAndJdkNestedUrls() {
        assertThat(ChildClassPath.Nested.unpack("jar:file:/opt/app.jar!/")).isEqualTo("/opt/app.jar");
        assertThat(ChildClassPath.Nested.unpack("jar:nested:/nowhere/app.jar/!BOOT-INF/lib/x.jar!/")).isNull();
        assertThat(ChildClassPath.Nested.unpack("jar:http://example.org/x.jar!/")).isNull();
    }

    private static Path jar(Path path, String classPath, String entry, String content) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream raw = Files.newOutputStream(path); JarOutputStream out = new JarOutputStream(raw, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return path;
    }
}
