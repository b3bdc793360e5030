package io.pprocess.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb as a file, without installing it: its control fields, the owner, mode and
 * place of every member, the compression of the documentation, the copyright file's coverage
 * of every jar, and lintian's verdict. Needs dpkg-deb; the lintian test needs lintian.
 */
class PackageContentsIT {

    private static final Pattern MEMBER = Pattern.compile("^([dl-][rwxsStT-]{9}) (\\S+)/(\\S+) +\\d+ \\S+ \\S+ \\./(\\S*)$");

    @TempDir
    static Path unpacked;

    /** The members of the data archive: path (without "./"; directories end in "/") to "mode owner/group". */
    private static final Map<String, String> members = new LinkedHashMap<>();

    @BeforeAll
    static void unpack() throws Exception {
        assumeTrue(Command.onPath("dpkg-deb"), "dpkg-deb is not installed");
        Command.Result contents = Command.of("dpkg-deb", "--contents", BuiltPackage.deb().toString()).run();
        assertThat(contents.exitStatus()).as("%s", contents.describe()).isZero();
        for (String line : contents.out().split("\n")) {
            Matcher m = MEMBER.matcher(line);
            assertThat(m.matches()).as("a member line of dpkg-deb --contents: %s", line).isTrue();
            members.put(m.group(4), m.group(1) + " " + m.group(2) + "/" + m.group(3));
        }
        Command.Result extract = Command.of("dpkg-deb", "--extract", BuiltPackage.deb().toString(),
                unpacked.toString()).run();
        assertThat(extract.exitStatus()).as("%s", extract.describe()).isZero();
    }

    private static String field(String name) throws Exception {
        Command.Result result = Command.of("dpkg-deb", "--field", BuiltPackage.deb().toString(), name).run();
        assertThat(result.exitStatus()).as("%s", result.describe()).isZero();
        return result.out().strip();
    }

    @Test
    void controlFields() throws Exception {
        assertThat(field("Package")).isEqualTo("pprocess");
        assertThat(field("Version")).isEqualTo(BuiltPackage.version()).isEqualTo("0.1.0");
        assertThat(field("Architecture")).isEqualTo("all");
        assertThat(field("Section")).isEqualTo("java");
        assertThat(field("Priority")).isEqualTo("optional");
        assertThat(field("Depends")).isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
        assertThat(field("Maintainer")).matches("[^<>]+ <[^<>@]+@[^<>@]+>");
        String description = field("Description");
        assertThat(description.lines().count()).as("synopsis and extended description").isGreaterThan(5);
        assertThat(description.lines().findFirst().orElseThrow()).hasSizeLessThan(80);
    }

    @Test
    void everyMemberIsOwnedByRootWithDebianModes() {
        assertThat(members).isNotEmpty();
        members.forEach((path, modeAndOwner) -> {
            assertThat(modeAndOwner).as(path).endsWith(" root/root");
            String mode = modeAndOwner.substring(0, 10);
            if (path.endsWith("/")) {
                assertThat(mode).as(path).isEqualTo("drwxr-xr-x");
            } else if (path.startsWith("usr/bin/")) {
                assertThat(mode).as(path).isEqualTo("-rwxr-xr-x");
            } else {
                assertThat(mode).as(path).isEqualTo("-rw-r--r--");
            }
            assertThat(path).as("Debian places").matches("usr/(bin|share/(pprocess|doc/pprocess|man/man1|lintian/overrides))/.*|usr/(bin/|share/(\\w+/)*)?");
        });
    }

    @Test
    void holdsTheLaunchersJarsManPagesAndDocumentation() throws Exception {
        List<String> expected = new ArrayList<>(List.of(
                "usr/bin/pprocess-indexer", "usr/bin/pprocess-example", "usr/bin/pprocess-node",
                "usr/share/pprocess/launcher.sh", "usr/share/pprocess/parent-cds.bash",
                "usr/share/man/man1/pprocess-indexer.1.gz", "usr/share/man/man1/pprocess-example.1.gz",
                "usr/share/man/man1/pprocess-node.1.gz",
                "usr/share/doc/pprocess/copyright", "usr/share/doc/pprocess/changelog.gz",
                "usr/share/lintian/overrides/pprocess"));
        List<String> jars = BuiltPackage.jarNames();
        assertThat(jars).contains("pprocess-core-" + BuiltPackage.version() + ".jar",
                "pprocess-examples-" + BuiltPackage.version() + ".jar",
                "pprocess-indexer-" + BuiltPackage.version() + ".jar",
                "pprocess-cluster-" + BuiltPackage.version() + ".jar");
        assertThat(jars).anyMatch(j -> j.startsWith("kryo-")).anyMatch(j -> j.startsWith("lucene-core-"))
                .anyMatch(j -> j.startsWith("picocli-")).anyMatch(j -> j.startsWith("hazelcast-"));
        jars.forEach(j -> expected.add("usr/share/pprocess/" + j));
        List<String> files = members.keySet().stream().filter(p -> !p.endsWith("/")).toList();
        assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void manPagesAndChangelogAreCompressedAsDebianWants() throws Exception {
        for (String path : List.of("usr/share/man/man1/pprocess-indexer.1.gz", "usr/share/man/man1/pprocess-example.1.gz",
                "usr/share/man/man1/pprocess-node.1.gz", "usr/share/doc/pprocess/changelog.gz")) {
            byte[] header = new byte[10];
            try (InputStream in = Files.newInputStream(unpacked.resolve(path))) {
                assertThat(in.readNBytes(header, 0, 10)).isEqualTo(10);
            }
            assertThat(header[0] & 0xff).as("%s: gzip magic", path).isEqualTo(0x1f);
            assertThat(header[1] & 0xff).as("%s: gzip magic", path).isEqualTo(0x8b);
            assertThat(header[3] & 0x08).as("%s: no file name (gzip -n)", path).isZero();
            assertThat(header[4] | header[5] | header[6] | header[7]).as("%s: no time stamp (gzip -n)", path).isZero();
            assertThat(header[8]).as("%s: maximum compression (gzip -9)", path).isEqualTo((byte) 2);
        }
        String changelog = gunzip(unpacked.resolve("usr/share/doc/pprocess/changelog.gz"));
        assertThat(changelog).startsWith("pprocess (" + BuiltPackage.version() + ") unstable; urgency=medium\n");
        assertThat(changelog).containsPattern("(?m)^ -- [^<]+ <[^>]+>  \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}$");
        assertThat(gunzip(unpacked.resolve("usr/share/man/man1/pprocess-indexer.1.gz"))).startsWith(".TH PPROCESS\\-INDEXER 1 ");
    }

    private static String gunzip(Path file) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Each jar must fall under a Files paragraph of its own, not only under the catch-all of pprocess-java's files. */
    @Test
    void copyrightFileCoversEveryJarWithItsLicence() throws Exception {
        String copyright = Files.readString(unpacked.resolve("usr/share/doc/pprocess/copyright"), StandardCharsets.UTF_8);
        assertThat(copyright).startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n");
        assertThat(copyright).contains("License: LGPL-3.0+\n", "/usr/share/common-licenses/LGPL-3");

        Map<String, String> licenceByPattern = new LinkedHashMap<>();
        for (String paragraph : copyright.split("\n\n")) {
            Matcher files = Pattern.compile("(?ms)^Files: (.*?)\n(?=\\S)").matcher(paragraph);
            Matcher licence = Pattern.compile("(?m)^License: (.*)$").matcher(paragraph);
            if (files.find() && licence.find()) {
                for (String pattern : files.group(1).trim().split("\\s+")) {
                    licenceByPattern.put(pattern, licence.group(1));
                }
            }
        }
        List<String> standalone = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^License: (\\S+)\n ").matcher(copyright);
        while (m.find()) {
            standalone.add(m.group(1));
        }
        for (String jar : BuiltPackage.jarNames()) {
            String path = "usr/share/pprocess/" + jar;
            String licence = null;
            for (Map.Entry<String, String> e : licenceByPattern.entrySet()) {
                // DEP-5 patterns: "*" matches any characters, "/" included; the last match wins
                if (FileSystems.getDefault().getPathMatcher("glob:" + e.getKey().replace("*", "**"))
                        .matches(Path.of(path))) {
                    licence = e.getValue();
                }
            }
            if (jar.startsWith("pprocess-")) {
                assertThat(licence).as(jar).isEqualTo("LGPL-3.0+");
            } else {
                assertThat(licence).as("licence of %s", jar).isNotNull().isNotEqualTo("LGPL-3.0+");
            }
            for (String name : licence.split(" or ")) {
                assertThat(standalone).as("a License paragraph for %s (%s)", name, jar).contains(name);
            }
        }
    }

    @Test
    void lintianReportsNoErrorsOrWarnings() throws Exception {
        assumeTrue(Command.onPath("lintian"), "lintian is not installed");
        java.util.Set<String> before = Leftovers.tmpEntries();
        // lintian's temporary files (its mldbm-elf-* databases, say) go here, not to /tmp.
        Path temp = Files.createDirectories(Path.of("target", "lintian-tmp").toAbsolutePath());
        Command.Result result = Command.of("lintian", "--fail-on", "error,warning", "--info",
                        BuiltPackage.deb().toString())
                .env("TMPDIR", temp.toString())
                .timeout(Duration.ofMinutes(5))
                .run();
        try (java.util.stream.Stream<Path> made = Files.list(temp)) {
            assertThat(made.map(p -> p.getFileName().toString())).as("lintian's files in %s", temp)
                    .anyMatch(name -> name.startsWith("mldbm-"));
        }
        if (!Leftovers.otherBuildsRunning()) {
            assertThat(Leftovers.newEntries(before, "mldbm-")).as("lintian's files left in /tmp").isEmpty();
        }
        assertThat(result.out().lines().filter(l -> l.startsWith("E:") || l.startsWith("W:")))
                .as("%s", result.describe()).isEmpty();
        assertThat(result.exitStatus()).as("%s", result.describe()).isZero();
    }
}
