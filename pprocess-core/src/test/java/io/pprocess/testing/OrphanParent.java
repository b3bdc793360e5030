package io.pprocess.testing;

import io.pprocess.Channel;
import io.pprocess.PProcess;

/**
 * A parent for tests that kill it: starts children that sleep, prints their pids, keeps two
 * spares, then sleeps.
 */
public final class OrphanParent {
    private OrphanParent() {
    }

    /**
     * Runs the parent.
     *
     * @param args the number of children, and optionally a directory in which each child's
     *     shutdown hook creates a file named by the child's pid
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String hooks = args.length > 1 ? args[1] : null;
        for (int i = 0; i < n; i++) {
            Channel ch = PProcess.start(c -> {
                if (hooks != null) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            java.nio.file.Files.createFile(java.nio.file.Path.of(hooks,
                                    Long.toString(ProcessHandle.current().pid())));
                        } catch (java.io.IOException e) {
                            // The test finds no file and says so.
                        }
                    }));
                }
                c.send(ProcessHandle.current().pid());
                Thread.sleep(600_000);
            });
            long pid = ch.receive();
            System.out.println("child " + pid);
        }
        PProcess.keepSpares(2);
        while (io.pprocess.internal.spawn.Spares.ready() < 2) {
            Thread.sleep(20);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
