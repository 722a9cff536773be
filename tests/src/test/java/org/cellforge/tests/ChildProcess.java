package org.cellforge.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Cellforge process started by a test: the server from its application jar, or a command of the
 * command line, with its output in a file the test can wait on. Stopped (SIGTERM) or killed (SIGKILL)
 * when the test asks, and killed at the latest when it closes.
 */
final class ChildProcess implements AutoCloseable {

    /** The JVM flags the launcher passes (ND4J's native memory through JavaCPP), with a smaller heap. */
    private static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xmx1g");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The Quarkus server from the application jar the build made, with {@code args} after its mode. */
    static ChildProcess server(String name, Map<String, String> env, Path logs, String... args) {
        List<String> all = new ArrayList<>(List.of("server"));
        all.addAll(List.of(args));
        return serverJar(name, env, logs, all.toArray(String[]::new));
    }

    /** The application jar the build made with {@code args} as they are ({@code user ...}, for one). */
    static ChildProcess serverJar(String name, Map<String, String> env, Path logs, String... args) {
        Path jar = Path.of("..", "web-ui", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the server jar " + jar + " is missing; build web-ui first");
        }
        List<String> command = java();
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return start(name, command, env, logs);
    }

    /** The command line ({@code cellforge MODE ...}) on this test's class path. */
    static ChildProcess cli(String name, Map<String, String> env, Path logs, String... args) {
        List<String> command = java();
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.cellforge.runner.cli.Main");
        command.addAll(List.of(args));
        return start(name, command, env, logs);
    }

    private static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM);
        return command;
    }

    private static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logs) {
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            b.environment().putAll(env);
            return new ChildProcess(name, b.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** The process id, as workers record it with the trials they train. */
    long pid() {
        return process.pid();
    }

    /**
     * Waits until the output has a line containing {@code text}, polling the log file.
     *
     * @throws AssertionError with the output's tail if it does not come within {@code timeout}, or the
     *     process ends first
     */
    void awaitOutput(String text, Duration timeout) {
        Polls.await(name + " to print '" + text + "'", timeout, () -> {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with " + process.exitValue() + " before printing '" + text
                        + "':\n" + tail());
            }
            return false;
        });
    }

    /**
     * Waits for the process to end on its own.
     *
     * @return its exit code
     */
    int awaitExit(Duration timeout) {
        Polls.await(name + " to end", timeout, () -> !process.isAlive());
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of its output, for failure messages. */
    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM, as {@code kill} or a service manager stops a process: its shutdown runs. */
    void stop() {
        process.destroy();
    }

    /** SIGKILL, as a crash or an out-of-memory killer ends a process: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        Polls.await(name + " to die", Duration.ofSeconds(60), () -> !process.isAlive());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
