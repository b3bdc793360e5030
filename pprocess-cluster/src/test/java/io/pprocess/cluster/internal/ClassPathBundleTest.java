package io.pprocess.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.pprocess.PProcess;
import io.pprocess.cluster.Cluster;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathBundleTest {
    @TempDir
    Path dir;

    @Test
    void aPackedDirectoryDependsOnlyOnItsContent() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a/x/y"));
        Files.writeString(a.resolve("B.class"), "bytes of B");
        Files.writeString(dir.resolve("a/A.class"), "bytes of A");
        byte[] first = ClassPathBundle.pack(dir.resolve("a"));
        Files.setLastModifiedTime(a.resolve("B.class"), FileTime.fromMillis(0));
        assertThat(ClassPathBundle.pack(dir.resolve("a"))).isEqualTo(first);
        List<String> names = new ArrayList<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(first))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("A.class", "x/", "x/y/", "x/y/B.class");
        Files.writeString(a.resolve("B.class"), "other bytes of B");
        assertThat(ClassPathBundle.pack(dir.resolve("a"))).isNotEqualTo(first);
    }

    private Path jar(String name, String... entries) throws Exception {
        Path jar = dir.resolve(name);
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(1);
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void onlyAnEntryOfPprocessAndHazelcastAloneIsLeftToTheNodes() throws Exception {
        assertThat(ClassPathBundle.onlyProvided(jar("core.jar", "META-INF/MANIFEST.MF", "io/pprocess/PProcess.class",
                "io/pprocess/internal/codec/Codec.class", "io/pprocess/cluster/Cluster.class",
                "com/hazelcast/core/HazelcastInstance.class", "META-INF/versions/21/com/hazelcast/X.class"))).isTrue();
        assertThat(ClassPathBundle.onlyProvided(jar("shaded.jar", "io/pprocess/PProcess.class",
                "io/pprocess/examples/raytrace/RayTracer.class"))).isFalse();
        assertThat(ClassPathBundle.onlyProvided(jar("app.jar", "io/pprocess/PProcess.class", "com/example/App.class")))
                .isFalse();
    }

    @Test
    void theBundleOfThisJvmShipsTheTestClassesButNotPprocessOrHazelcast() {
        ClassPathBundle bundle = ClassPathBundle.ofThisJvm(PProcess.class, Cluster.class, HazelcastInstance.class);
        assertThat(bundle.jars()).anyMatch(j -> j.source().endsWith("test-classes"));
        assertThat(bundle.jars()).noneMatch(j -> j.source().contains("hazelcast"));
        assertThat(bundle.jars()).noneMatch(j -> j.source().endsWith("pprocess-cluster/target/classes"));
        assertThat(bundle.jars()).allMatch(j -> j.sha256().equals(Auth.sha256Hex(j.bytes())));
        assertThat(ClassPathBundle.thisJvmWithout(HazelcastInstance.class)).noneMatch(e -> e.contains("hazelcast"));
    }
}
