package org.cellforge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process owning the embedded database is killed with SIGKILL (a child JVM running
 * {@link DatabaseOwnerMain}), so its server is left running or is killed as well; the next start
 * must come up with every committed row.
 */
class EmbeddedDatabaseKillTest {

    private static final int ROWS = 25;
    /** Generous: a child JVM runs initdb and starts PostgreSQL on a machine that may be busy. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String EXITED = "\u0000exited";

    @TempDir
    Path dir;

    private final List<Process> owners = new ArrayList<>();
    private final List<Path> dataDirectories = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() throws Exception {
        for (Process owner : owners) {
            owner.destroyForcibly();
            owner.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (Path data : dataDirectories) {
            if (!Files.isDirectory(data)) {
                continue;
            }
            Path real = data.toRealPath();
            List<ProcessHandle> servers = new ArrayList<>(EmbeddedDatabase.serverProcesses(real));
            ProcessHandle.of(EmbeddedDatabase.serverPid(real.resolve("postmaster.pid")))
                    .filter(p -> EmbeddedDatabase.servesDirectory(p, real) == EmbeddedDatabase.Serves.YES)
                    .ifPresent(servers::add);
            servers.forEach(ProcessHandle::destroyForcibly);
            assertTrue(await(() -> servers.stream().noneMatch(ProcessHandle::isAlive)),
                    "server processes of " + data + " outlived SIGKILL: " + servers);
        }
    }

    @Test
    void aServerLeftRunningByAKilledOwnerIsStoppedAndTheNextStartKeepsTheCommittedRows() throws Exception {
        Path data = dir.resolve("pg");
        Owner owner = startOwner(data);
        ProcessHandle postmaster = postmaster(data);

        owner.process.destroyForcibly();
        assertTrue(owner.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(postmaster.isAlive(), "the server outlives its killed owner");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertFalse(postmaster.isAlive(), "the server left running was stopped");
            assertEquals(committed(), rows(db));
        }
    }

    @Test
    void committedRowsSurviveKillingTheOwnerAndItsServerTogether() throws Exception {
        Path data = dir.resolve("pg");
        Owner owner = startOwner(data);
        ProcessHandle postmaster = postmaster(data);

        postmaster.destroyForcibly();
        owner.process.destroyForcibly();
        assertTrue(owner.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(await(() -> !postmaster.isAlive()), "the server ignored SIGKILL");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertEquals(committed(), rows(db));
        }
    }

    @Test
    void aDirectoryWhoseOwnerLivesIsRefusedNamingTheDirectoryAndTheOwner() throws Exception {
        Path data = dir.resolve("pg");
        Owner owner = startOwner(data);
        ProcessHandle postmaster = postmaster(data);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data));
        assertTrue(e.getMessage().contains(data.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("in use by another Cellforge process (process " + owner.process.pid()),
                e.getMessage());
        assertTrue(postmaster.isAlive(), "the owner's server was left alone");
        assertTrue(owner.process.isAlive());
    }

    /** A child JVM owning the database in {@code data}, once it has committed its rows. */
    private Owner startOwner(Path data) throws IOException, InterruptedException {
        dataDirectories.add(data);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                DatabaseOwnerMain.class.getName(), data.toString(), Integer.toString(ROWS))
                .redirectErrorStream(true)
                .start();
        owners.add(process);
        Owner owner = new Owner(process);
        owner.awaitLine("committed " + ROWS);
        return owner;
    }

    /** The postmaster named by the data directory's pid file. */
    private static ProcessHandle postmaster(Path data) throws IOException {
        Path real = data.toRealPath();
        long pid = EmbeddedDatabase.serverPid(real.resolve("postmaster.pid"));
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
        assertEquals(EmbeddedDatabase.Serves.YES, EmbeddedDatabase.servesDirectory(postmaster, real),
                postmaster.info().toString());
        return postmaster;
    }

    private static List<Integer> committed() {
        return IntStream.rangeClosed(1, ROWS).boxed().toList();
    }

    private static List<Integer> rows(EmbeddedDatabase db) throws SQLException {
        List<Integer> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select v from kept order by v")) {
            while (rs.next()) {
                rows.add(rs.getInt(1));
            }
        }
        return rows;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The child's merged output, read on a thread so that waiting for a line is bounded. */
    private static final class Owner {

        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer output = new StringBuffer();

        Owner(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    output.append(e).append('\n');
                } finally {
                    lines.add(EXITED);
                }
            });
        }

        void awaitLine(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no '" + expected + "' from the owner within " + WAIT + "; its output:\n" + output);
                }
                if (line.equals(EXITED)) {
                    fail("the owner exited before '" + expected + "'; its output:\n" + output);
                }
                if (line.strip().equals(expected)) {
                    return;
                }
            }
        }
    }
}
