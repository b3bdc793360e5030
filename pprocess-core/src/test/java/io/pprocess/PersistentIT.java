package io.pprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pprocess.testing.PersistentDemo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Persistent processes across separate JVMs, and against a peer of another user. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PersistentIT {

    @TempDir
    Path dir;

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PersistentDemo.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("output: %s", out).isZero();
        return out;
    }

    private static List<Integer> values(String out) {
        return out.lines().filter(l -> l.startsWith("value "))
                .map(l -> Integer.parseInt(l.substring(6).trim())).collect(Collectors.toList());
    }

    @Test
    void startInOneJvmAndCollectFromTwoOthers() throws Exception {
        Path address = dir.resolve("job.sock");
        Path log = dir.resolve("job.log");
        String started = run("start", address.toString(), "10", log.toString());
        long pid = Long.parseLong(started.lines().filter(l -> l.startsWith("started ")).findFirst()
                .orElseThrow().substring(8).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("outlives the starting JVM").hasValue(true);
        List<Integer> first = values(run("collect", address.toString(), "4"));
        List<Integer> second = values(run("collect", address.toString(), "3"));
        String rest = run("rest", address.toString());
        List<Integer> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(values(rest));
        assertThat(first).containsExactly(0, 1, 2, 3);
        assertThat(second).containsExactly(4, 5, 6);
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(rest).contains("end ");
        long deadline = System.currentTimeMillis() + 10_000;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(address).doesNotExist();
        assertThat(log).exists();
    }

    /**
     * A peer running as another user is refused by its credentials even when the socket file
     * is opened up to everyone; with the default 0600 mode it cannot even connect.
     *
     * <p>Changes the system while it runs (named in the README): as root, it creates the
     * system user {@code pprocess-test} when there is none, and removes it again at the end.
     * The other user's JVM keeps no performance data file and its temporary files in this
     * test's directory, so nothing is left in /tmp.
     */
    @Test
    void peerOfAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "needs runuser");
        String user = "pprocess-test";
        boolean created = false;
        if (!userExists(user)) {
            Process add = new ProcessBuilder("useradd", "--system", "--no-create-home", "--user-group",
                    "--shell", "/usr/sbin/nologin", user).inheritIO().start();
            assumeTrue(add.waitFor() == 0, "cannot create user " + user);
            created = true;
        }
        boolean perfDataBefore = Files.exists(Path.of("/tmp/hsperfdata_" + user));
        try {
            refusesPeerOf(user);
        } finally {
            if (created) {
                Process del = new ProcessBuilder("userdel", user).inheritIO().start();
                assertThat(del.waitFor(60, TimeUnit.SECONDS) && del.exitValue() == 0).as("userdel " + user).isTrue();
            }
        }
        if (created) {
            assertThat(userExists(user)).as("user %s removed", user).isFalse();
        }
        if (!perfDataBefore) {
            assertThat(Path.of("/tmp/hsperfdata_" + user)).doesNotExist();
        }
    }

    private static boolean userExists(String user) throws Exception {
        Process check = new ProcessBuilder("id", "-u", user).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return check.waitFor() == 0;
    }

    private void refusesPeerOf(String user) throws Exception {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path address = open.resolve("guarded.sock");
        Path log = dir.resolve("guarded.log");
        BackgroundProcess p = PProcess.startPersistent(address, PersistentOptions.defaults().log(log), c -> c.send(42));
        try {
            Path probe = open.resolve("Probe.java");
            Files.writeString(probe, String.join("\n",
                    "import java.net.*; import java.nio.*; import java.nio.channels.*;",
                    "public class Probe { public static void main(String[] a) throws Exception {",
                    "  try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {",
                    "    ByteBuffer h = ByteBuffer.allocate(5);",
                    "    while (h.hasRemaining()) { if (s.read(h) < 0) { System.out.println(\"CLOSED\"); return; } }",
                    "    System.out.println(h.get(4) == 6 ? \"REFUSED\" : h.get(4) == 1 ? \"ACCEPTED\" : \"OTHER\");",
                    "  } catch (java.io.IOException e) { System.out.println(\"ERROR \" + e.getMessage()); }",
                    "}}"));
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
            String java = System.getProperty("java.home") + "/bin/java";
            Path otherTemp = Files.createDirectories(open.resolve("tmp"));
            Files.setPosixFilePermissions(otherTemp, PosixFilePermissions.fromString("rwxrwxrwx"));

            String denied = runAs(user, java, "-XX:-UsePerfData", "-Djava.io.tmpdir=" + otherTemp, probe.toString(),
                    address.toString());
            assertThat(denied).as("0600 socket").contains("ERROR").contains("Permission denied");

            Files.setPosixFilePermissions(address, PosixFilePermissions.fromString("rw-rw-rw-"));
            String refused = runAs(user, java, "-XX:-UsePerfData", "-Djava.io.tmpdir=" + otherTemp, probe.toString(),
                    address.toString());
            assertThat(refused).as("peer credentials").contains("REFUSED");
            assertThat(Files.readString(log)).contains("refused a connection: peer user " + user);

            try (Channel ch = PProcess.connectPersistent(address)) {
                assertThat((Integer) ch.receive()).isEqualTo(42);
            }
        } finally {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String runAs(String user, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
