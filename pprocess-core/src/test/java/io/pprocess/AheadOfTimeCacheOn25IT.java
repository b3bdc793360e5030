package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children on JDK 25 (Temurin 25, where the machine has it) get their build's ahead-of-time
 * cache: the first program's first child records it, a shell assembles it after that child
 * has ended, and the next program's children map it, with nothing left beside the cache and
 * the dynamic archive.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AheadOfTimeCacheOn25IT {
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** The program run under JDK 25: how its children's JVMs were started. */
    public static final class Main {
        private Main() {
        }

        /**
         * Prints, for each of four items, the archive option its child's JVM was given.
         *
         * @param args unused
         */
        public static void main(String[] args) {
            Set<String> kinds = new TreeSet<>();
            try (MapExchange<String> results = PProcess.pmap((Integer i) -> archiveOf(), List.of(1, 2, 3, 4), 2)) {
                for (String r : results) {
                    kinds.add(r);
                }
            }
            System.out.println("children: " + kinds);
        }

        private static String archiveOf() {
            List<String> kinds = new ArrayList<>();
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("-XX:AOTMode=record")) {
                    kinds.add("record");
                } else if (a.startsWith("-XX:AOTCache=")) {
                    kinds.add("cache");
                } else if (a.startsWith("-XX:SharedArchiveFile=")) {
                    kinds.add("archive");
                } else if (a.startsWith("-XX:ArchiveClassesAtExit=")) {
                    kinds.add("archive-recording");
                }
            }
            return kinds.isEmpty() ? "none" : String.join("+", kinds);
        }
    }

    /** This build's jar, its dependencies and a jar holding {@link Main}: a class path the JVM can archive. */
    private static String jarClassPath(Path dir) throws IOException {
        Path jar = dir.resolve("aot-main.jar");
        String name = Main.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream in = Main.class.getClassLoader().getResourceAsStream(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
        Path core = Path.of(System.getProperty("pprocess.it.coreJar", "target/pprocess-core.jar")).toAbsolutePath();
        assertThat(core).as("this build's jar (made in the package phase)").isRegularFile();
        String dependencies = Files.readString(Path.of(System.getProperty("pprocess.it.classPathFile",
                "target/classpath.txt"))).strip();
        return String.join(File.pathSeparator, jar.toString(), core.toString(), dependencies);
    }

    private static String run(String classPath, Path cacheHome, String... properties)
            throws IOException, InterruptedException {
        // The parent's own Kryo warns about sun.misc.Unsafe on JDK 24+; its children must not.
        List<String> cmd = new ArrayList<>(List.of(JAVA_25.toString(), "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        pb.environment().remove("PPROCESS_JVM_OPTIONS");
        pb.environment().remove("PPROCESS_KEEP_WORKERS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    /** The archive options the children of a run were given, from its "children: [...]" line. */
    private static List<String> kinds(String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("children: \\[(.*)]").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return List.of(m.group(1).split(", "));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Waits (at most a minute) for the shell: the cache published and nothing else of its left. */
    private static Set<String> awaitAssembly(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<String> left = names(dir);
        while (System.nanoTime() < deadline
                && (left.stream().noneMatch(n -> n.endsWith(".aot"))
                    || left.stream().anyMatch(n -> n.endsWith(".lock") || n.endsWith(".aotconf") || n.endsWith(".tmp")))) {
            Thread.sleep(200);
            left = names(dir);
        }
        return left;
    }

    /** Waits (at most 10 s) until no process's command line names {@code dir}; returns those left. */
    private static List<String> awaitNoProcessNaming(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left = ProcessHandle.allProcesses()
                    .map(h -> h.info().commandLine().orElse(""))
                    .filter(c -> c.contains(dir.toString()))
                    .collect(Collectors.toList());
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }

    @Test
    void theFirstChildRecordsTheCacheAndTheNextProgramsChildrenMapIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25), "no JDK 25 at " + JAVA_25);
        String classPath = jarClassPath(dir);
        Path cacheHome = dir.resolve("cache");
        Path cds = cacheHome.resolve("pprocess").resolve("cds");

        String first = run(classPath, cacheHome);
        // One child records (whether it is given an item or its sibling serves them all).
        assertThat(kinds(first)).as("the first program's children").doesNotContain("cache");
        assertThat(first).as("no warning of the children's JVMs about Kryo's use of sun.misc.Unsafe")
                .doesNotContain("sun.misc.Unsafe");
        assertThat(first).as("no line of the recording JVM on the program's output")
                .doesNotContain("AOTConfiguration").doesNotContain("[aot").doesNotContain("[cds");

        Set<String> left = awaitAssembly(cds);
        assertThat(left).as("the cache and the dynamic archive of the build, nothing else")
                .hasSize(2).anyMatch(n -> n.endsWith(".aot")).anyMatch(n -> n.endsWith(".jsa"));

        assertThat(awaitNoProcessNaming(cds)).as("the shell and its assembly have ended").isEmpty();

        String second = run(classPath, cacheHome);
        assertThat(kinds(second)).as("the next program's children").containsExactly("cache");
        assertThat(names(cds)).isEqualTo(left);

        String off = run(classPath, cacheHome, "-Dpprocess.aot=false");
        assertThat(kinds(off)).as("with -Dpprocess.aot=false").containsExactly("archive");
    }
}
