package io.pprocess.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AheadOfTimeCacheTest {
    private static final String KEY = "0123456789abcdef";
    private static final String CLASS_PATH = "/opt/app/a.jar:/opt/app/b.jar";

    private static java.util.Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** A process that has ended, its pid free (as far as this test can tell). */
    private static long endedPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    @Test
    void appliesFromJava25OnlyAndNotBesideTheChildrensOwnArchiveOptions() {
        assertThat(AheadOfTimeCache.applies(17, List.of())).isFalse();
        assertThat(AheadOfTimeCache.applies(24, List.of())).isFalse();
        assertThat(AheadOfTimeCache.applies(25, List.of())).isTrue();
        assertThat(AheadOfTimeCache.applies(26, List.of("-Xmx256m"))).isTrue();
        for (String own : List.of("-XX:AOTCache=/x.aot", "-XX:AOTMode=off", "-Xshare:off",
                "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=/x.jsa", "-XX:+AutoCreateSharedArchive")) {
            assertThat(AheadOfTimeCache.applies(25, List.of("-Xmx256m", own))).as(own).isFalse();
        }
    }

    @Test
    void turnedOffByItsProperty() {
        String before = System.getProperty("pprocess.aot");
        System.setProperty("pprocess.aot", "false");
        try {
            assertThat(AheadOfTimeCache.applies(25, List.of())).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("pprocess.aot");
            } else {
                System.setProperty("pprocess.aot", before);
            }
        }
    }

    @Test
    void aBuildWithACacheMapsItAndRecordsNothing(@TempDir Path dir) throws IOException {
        Path cache = Files.writeString(AheadOfTimeCache.cacheFile(dir, KEY), "cache");

        ClassDataSharing.Plan plan = AheadOfTimeCache.plan(dir, KEY, CLASS_PATH, List.of(), true);

        assertThat(plan.options).contains("-XX:AOTCache=" + cache).noneMatch(o -> o.startsWith("-XX:AOTMode"));
        assertThat(plan.records()).isFalse();
        assertThat(names(dir)).containsExactly(KEY + ".aot");
    }

    @Test
    void aBuildWithoutACacheIsRecordedByOneChildAtATime(@TempDir Path dir) throws IOException {
        assertThat(AheadOfTimeCache.plan(dir, KEY, CLASS_PATH, List.of(), false)).as("a child that may not record")
                .isNull();

        ClassDataSharing.Plan first = AheadOfTimeCache.plan(dir, KEY, CLASS_PATH, List.of("-Xmx256m"), true);

        assertThat(first.records()).isTrue();
        assertThat(first.options).contains("-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + dir.resolve(KEY + ".aotconf"), "-Dpprocess.aotRecording=true");
        assertThat(names(dir)).containsExactly(KEY + ".aot.lock");
        assertThat(AheadOfTimeCache.plan(dir, KEY, CLASS_PATH, List.of(), true)).as("while it is recorded").isNull();

        first.abandon();

        assertThat(names(dir)).isEmpty();
        ClassDataSharing.Plan again = AheadOfTimeCache.plan(dir, KEY, CLASS_PATH, List.of(), true);
        assertThat(again.records()).isTrue();
        again.abandon();
    }

    @Test
    void aLockIsHeldWhileItsShellRunsAndReplacedOnceItIsGoneOrStale(@TempDir Path dir) throws Exception {
        Path lock = dir.resolve(KEY + ".aot.lock");
        long now = System.currentTimeMillis();

        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()));
        assertThat(AheadOfTimeCache.lock(lock, now)).as("its shell alive").isFalse();

        Files.writeString(lock, Long.toString(endedPid()));
        assertThat(AheadOfTimeCache.lock(lock, now)).as("its shell gone").isTrue();

        Files.writeString(lock, "");
        assertThat(AheadOfTimeCache.lock(lock, now)).as("empty, just made").isFalse();
        assertThat(AheadOfTimeCache.lock(lock, now + 61_000)).as("empty, a minute old").isTrue();

        Files.writeString(lock, Long.toString(ProcessHandle.current().pid()));
        Files.setLastModifiedTime(lock, FileTime.fromMillis(now - AheadOfTimeCache.LOCK_STALE_MILLIS));
        assertThat(AheadOfTimeCache.lock(lock, now)).as("stale").isTrue();
        assertThat(lock).hasContent("");
    }

    @Test
    void theCacheIsAssembledWithTheTrainingRunsClassPathAndOptionsWithoutXshare(@TempDir Path dir) {
        Path conf = dir.resolve(KEY + ".aotconf");
        Path temp = dir.resolve(KEY + ".aot.tmp");

        List<String> cmd = AheadOfTimeCache.createCommand(conf, temp, CLASS_PATH, List.of("-Xmx256m"));

        assertThat(cmd.get(0)).endsWith("/bin/java");
        assertThat(cmd).contains("-XX:+UseSerialGC", "-Xmx256m", "-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf,
                "-XX:AOTCache=" + temp).noneMatch(o -> o.startsWith("-Xshare"));
        assertThat(cmd.subList(cmd.size() - 2, cmd.size())).containsExactly("-cp", CLASS_PATH);
    }

    @Test
    void theShellPublishesTheCacheOnceTheRecordingChildHasEndedAndLeavesNothingElse(@TempDir Path dir)
            throws Exception {
        Path conf = Files.writeString(dir.resolve(KEY + ".aotconf"), "configuration");
        Path temp = dir.resolve(KEY + ".aot.tmp");
        Path cache = AheadOfTimeCache.cacheFile(dir, KEY);
        Path lock = Files.writeString(dir.resolve(KEY + ".aot.lock"), "");
        Process child = new ProcessBuilder("sleep", "1").start();

        Process shell = AheadOfTimeCache.startWatcher(child.pid(), conf, temp, cache, lock,
                List.of("/bin/sh", "-c", "cat \"$0\" > \"$1\"", conf.toString(), temp.toString()));

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.isAlive()).as("the shell waited for the child").isFalse();
        assertThat(names(dir)).containsExactly(KEY + ".aot");
        assertThat(cache).hasContent("configuration");
    }

    @Test
    void theShellPublishesNothingWhenTheConfigurationIsMissingOrTheAssemblyFails(@TempDir Path dir)
            throws Exception {
        Path conf = dir.resolve(KEY + ".aotconf");
        Path temp = dir.resolve(KEY + ".aot.tmp");
        Path cache = AheadOfTimeCache.cacheFile(dir, KEY);
        Path lock = dir.resolve(KEY + ".aot.lock");
        List<String> assembly = List.of("/bin/sh", "-c", "echo half > \"$0\"; exit 3", temp.toString());

        Files.writeString(lock, "");
        Process killed = AheadOfTimeCache.startWatcher(endedPid(), conf, temp, cache, lock, assembly);
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(names(dir)).as("no configuration: a child killed before its exit").isEmpty();

        Files.writeString(conf, "configuration");
        Files.writeString(lock, "");
        Process failed = AheadOfTimeCache.startWatcher(endedPid(), conf, temp, cache, lock, assembly);
        assertThat(failed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(names(dir)).as("an assembly that failed").isEmpty();
    }

    @Test
    void pruningRemovesOldConfigurationsAndStaleLocksAndCountsCachesAmongTheArchives(@TempDir Path dir)
            throws IOException {
        long now = 1_800_000_000_000L;
        for (int i = 0; i < ClassDataSharing.MAX_ARCHIVES + 2; i++) {
            Path p = Files.writeString(dir.resolve("c" + i + (i % 2 == 0 ? ".aot" : ".jsa")), "x");
            Files.setLastModifiedTime(p, FileTime.fromMillis(now - i * 60_000L));
        }
        String[][] aged = {
            {"old.aotconf", Long.toString(2 * 3_600_000L)},
            {"fresh.aotconf", "60000"},
            {"old.aot.tmp", Long.toString(2 * 3_600_000L)},
            {"stale.aot.lock", Long.toString(AheadOfTimeCache.LOCK_STALE_MILLIS + 1)},
            {"held.aot.lock", Long.toString(3_600_000L + 1)},
        };
        for (String[] f : aged) {
            Path p = Files.writeString(dir.resolve(f[0]), "x");
            Files.setLastModifiedTime(p, FileTime.fromMillis(now - Long.parseLong(f[1])));
        }

        ClassDataSharing.prune(dir, now);

        java.util.Set<String> left = names(dir);
        assertThat(left).contains("fresh.aotconf", "held.aot.lock")
                .doesNotContain("old.aotconf", "old.aot.tmp", "stale.aot.lock");
        for (int i = 0; i < ClassDataSharing.MAX_ARCHIVES + 2; i++) {
            String name = "c" + i + (i % 2 == 0 ? ".aot" : ".jsa");
            assertThat(left.contains(name)).as(name).isEqualTo(i < ClassDataSharing.MAX_ARCHIVES);
        }
    }
}
