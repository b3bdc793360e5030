package io.pprocess.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pprocess.PProcess;
import io.pprocess.cluster.internal.ClassPathBundle;
import io.pprocess.cluster.internal.Configs;
import io.pprocess.cluster.internal.NodeService;
import io.pprocess.cluster.internal.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code pprocess-node} command: runs a node of a pprocess cluster in the foreground until
 * SIGTERM or SIGINT, then leaves the cluster, ends its job hosts and their children, removes
 * its work directory and exits with status 0.
 *
 * <pre>
 * pprocess-node --cluster NAME --members HOST:PORT,... --bind ADDRESS --port PORT
 *               --secret-file FILE [--workers N] [--keep-warm SECONDS] [--work-dir DIR] [--verbose]
 * </pre>
 *
 * <p>It binds to {@code 127.0.0.1} unless {@code --bind} says otherwise, joins only the listed
 * members (TCP/IP; multicast and auto-detection off, no phone-home) and runs the chunks of
 * authenticated jobs in pprocess children. A usage error exits with status 2, a bad secret file
 * or a port in use with status 1.
 */
public final class PProcessNode {
    /** The exit status of a usage error. */
    public static final int USAGE_ERROR = 2;

    private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");

    private static final String USAGE = String.join("\n",
            "Usage: pprocess-node --cluster NAME --secret-file FILE [--members HOST:PORT,...]",
            "                     [--bind ADDRESS] [--port PORT] [--workers N] [--keep-warm SECONDS]",
            "                     [--work-dir DIR] [--verbose]",
            "Runs a node of a pprocess cluster in the foreground until SIGTERM or SIGINT.",
            "  --cluster NAME        the cluster's name (nodes of other names stay apart)",
            "  --secret-file FILE    the shared secret, a file readable by its owner only (mode 0600)",
            "  --members LIST        other nodes to join, HOST:PORT separated by commas (default: none)",
            "  --bind ADDRESS        the address to listen on (default: 127.0.0.1)",
            "  --port PORT           the port to listen on (default: 5701)",
            "  --workers N           the most child processes at once (default: the cores, " + PProcess.numberOfCores() + ")",
            "  --keep-warm SECONDS   how long an idle job host is kept (default: 120)",
            "  --work-dir DIR        where shipped jars are cached (default: a private temporary",
            "                        directory, removed at exit)",
            "  --verbose             show Hazelcast's own log",
            "  --help                show this help");

    private PProcessNode() {
    }

    static final class Options {
        String cluster;
        Path secretFile;
        List<String> members = new ArrayList<>();
        String bind = "127.0.0.1";
        int port = 5701;
        int workers = PProcess.numberOfCores();
        int keepWarm = 120;
        Path workDir;
        boolean verbose;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--verbose" -> o.verbose = true;
                    case "--cluster", "--secret-file", "--members", "--bind", "--port", "--workers", "--keep-warm",
                         "--work-dir" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(arg + " needs a value");
                            }
                            value = args[++i];
                        }
                        o.set(arg, value);
                    }
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
            if (o.help) {
                return o;
            }
            if (o.cluster == null || o.cluster.isBlank()) {
                throw new IllegalArgumentException("--cluster NAME is required");
            }
            if (o.secretFile == null) {
                throw new IllegalArgumentException("--secret-file FILE is required");
            }
            return o;
        }

        private void set(String option, String value) {
            switch (option) {
                case "--cluster" -> cluster = value;
                case "--secret-file" -> secretFile = Path.of(value);
                case "--members" -> {
                    for (String m : value.split(",")) {
                        m = m.trim();
                        if (!m.isEmpty()) {
                            ClusterOptions.checkAddress(m);
                            members.add(m);
                        }
                    }
                }
                case "--bind" -> bind = value;
                case "--port" -> port = number(option, value, 1, 65535);
                case "--workers" -> workers = number(option, value, 1, 4096);
                case "--keep-warm" -> keepWarm = number(option, value, 1, 86_400);
                case "--work-dir" -> workDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }

        private static int number(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a number in " + min + ".." + max + ": " + value);
        }
    }

    /**
     * Runs the node.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pprocess-node: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(USAGE_ERROR);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        System.exit(run(options, System.err));
    }

    static int run(Options o, PrintStream log) {
        Secret secret;
        try {
            secret = Secret.read(o.secretFile);
        } catch (ClusterException e) {
            log.println("pprocess-node: " + e.getMessage());
            return 1;
        }
        if (!o.verbose) {
            HAZELCAST_LOGGER.setLevel(Level.WARNING);
        }
        boolean ownWorkDir = o.workDir == null;
        Path workDir;
        try {
            workDir = ownWorkDir ? Files.createTempDirectory("pprocess-node-") : Files.createDirectories(o.workDir);
        } catch (IOException e) {
            log.println("pprocess-node: cannot create the work directory: " + e);
            return 1;
        }
        NodeService service;
        try {
            service = new NodeService(o.cluster, secret, o.workers, workDir,
                    ClassPathBundle.thisJvmWithout(HazelcastInstance.class), Duration.ofSeconds(o.keepWarm), log);
        } catch (IOException e) {
            log.println("pprocess-node: cannot prepare " + workDir + ": " + e);
            delete(workDir, ownWorkDir);
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runnable request = stop::countDown;
        for (String name : Arrays.asList("TERM", "INT")) {
            Signals.onSignal(name, request);
        }
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(
                    Configs.member(o.cluster, o.members, o.bind, o.port, o.workers, service));
        } catch (RuntimeException e) {
            log.println("pprocess-node: cannot start the node on " + o.bind + ":" + o.port + ": " + e.getMessage());
            service.close();
            delete(workDir, ownWorkDir);
            return 1;
        }
        service.attach(member);
        Thread hook = new Thread(() -> shutdown(member, service, workDir, ownWorkDir), "pprocess-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.log("node " + member.getCluster().getLocalMember().getAddress() + " of cluster '" + o.cluster
                + "' ready: " + o.workers + " workers, " + member.getCluster().getMembers().size()
                + " members, work directory " + workDir);
        boolean interrupted = false;
        while (true) {
            try {
                stop.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        service.log("stopping: leaving the cluster");
        shutdown(member, service, workDir, ownWorkDir);
        Runtime.getRuntime().removeShutdownHook(hook);
        service.log("stopped");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static synchronized void shutdown(HazelcastInstance member, NodeService service, Path workDir,
                                              boolean ownWorkDir) {
        service.close();
        if (member.getLifecycleService().isRunning()) {
            member.shutdown();
        }
        delete(workDir, ownWorkDir);
    }

    private static void delete(Path dir, boolean own) {
        if (!own || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("pprocess-node: cannot remove " + dir + ": " + e);
        }
    }
}
