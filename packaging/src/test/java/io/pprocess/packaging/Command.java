package io.pprocess.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external command for the tests: its arguments, environment changes, working directory
 * and time limit. Standard input is {@code /dev/null}; standard output and error are captured
 * through files, so a chatty command cannot block on a full pipe. A command that outlives its
 * time limit is killed with its descendants and fails the test.
 */
final class Command {

    /**
     * A finished command.
     *
     * @param command the command line, for messages
     * @param exitStatus its exit status
     * @param out its standard output
     * @param err its standard error
     */
    record Result(String command, int exitStatus, String out, String err) {

        /** @return this result's command, exit status and output, for assertion messages */
        String describe() {
            return command + " exited with " + exitStatus + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private final List<String> arguments;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> removed = new ArrayList<>();
    private Path directory;
    private Duration timeout = Duration.ofSeconds(60);

    private Command(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    /**
     * @param arguments the program and its arguments
     * @return a command with this process's environment and a 60 s limit
     */
    static Command of(String... arguments) {
        return new Command(List.of(arguments));
    }

    /** Sets an environment variable of the command. */
    Command env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Removes an environment variable from the command's environment. */
    Command unset(String name) {
        removed.add(name);
        return this;
    }

    /** Sets the working directory. */
    Command in(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Sets the time limit. */
    Command timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** @return whether {@code program} is an executable file in a directory of PATH */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the command and waits for it.
     *
     * @return the finished command
     * @throws AssertionError if it did not finish within its time limit
     */
    Result run() throws IOException, InterruptedException {
        String line = String.join(" ", arguments);
        Path outFile = Files.createTempFile("command-", ".out");
        Path errFile = Files.createTempFile("command-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(arguments)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(outFile.toFile())
                    .redirectError(errFile.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            removed.forEach(builder.environment()::remove);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(line + " did not finish within " + timeout.toSeconds() + " s\n--- stdout:\n"
                        + Files.readString(outFile, StandardCharsets.UTF_8) + "--- stderr:\n"
                        + Files.readString(errFile, StandardCharsets.UTF_8));
            }
            return new Result(line, process.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }
}
