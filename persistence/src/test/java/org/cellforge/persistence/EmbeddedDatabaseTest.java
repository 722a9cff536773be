package org.cellforge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartInTheSameDirectory() throws SQLException {
        Path data = dir.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
                Statement s = c.createStatement()) {
            s.execute("create table kept (v int)");
            s.execute("insert into kept values (42)");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select v from kept")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedWithAReason() {
        Path data = dir.resolve("busy");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(db.port() > 0);
        }
    }

    @Test
    void theApplicationsDirectoryIsDurableWhileATemporaryServerSkipsFlushing() throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("durable"))) {
            assertEquals(List.of("on", "on", "on"), durabilitySettings(db));
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary()) {
            assertEquals(List.of("off", "off"), durabilitySettings(db).subList(0, 2));
        }
    }

    @Test
    void aPidFileNamingAProcessThatIsNoPostgresIsStale() throws Exception {
        Path data = dir.resolve("reused");
        EmbeddedDatabase.start(data).close();
        // After a reboot the pid in a pid file left behind may belong to any process; PostgreSQL alone
        // would refuse to start over it.
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data.toRealPath() + "\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertTrue(db.port() > 0);
        }
    }

    @Test
    void aPidFileNamingTheServerOfAnotherDirectoryIsStaleAndThatServerIsLeftAlone() throws Exception {
        Path data = dir.resolve("mine");
        EmbeddedDatabase.start(data).close();
        try (EmbeddedDatabase other = EmbeddedDatabase.start(dir.resolve("other"))) {
            Path otherPidFile = dir.resolve("other").toRealPath().resolve("postmaster.pid");
            ProcessHandle otherServer = ProcessHandle.of(EmbeddedDatabase.serverPid(otherPidFile)).orElseThrow();
            Files.copy(otherPidFile, data.resolve("postmaster.pid"));
            try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
                assertTrue(db.port() != other.port());
            }
            assertTrue(otherServer.isAlive(), "the other directory's server was not signalled");
        }
    }

    @Test
    void aPidFileNamingAProcessThatIsGoneIsStale() throws Exception {
        Path data = dir.resolve("gone");
        EmbeddedDatabase.start(data).close();
        Process gone = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor();
        Files.writeString(data.resolve("postmaster.pid"), gone.pid() + "\n" + data.toRealPath() + "\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertTrue(db.port() > 0);
        }
    }

    @Test
    void anOwnerRecordIsBelievedOnlyForTheProcessThatWroteIt() throws Exception {
        Path data = dir.resolve("owned");
        EmbeddedDatabase.start(data).close();
        Path ownerFile = EmbeddedDatabase.ownerFile(data.toRealPath());
        ProcessHandle live = ProcessHandle.current().parent().orElseThrow();
        Instant started = live.info().startInstant().orElseThrow();

        // Its pid now belongs to another process, started later than the recorded owner.
        Files.writeString(ownerFile, "pid=" + live.pid() + "\nstarted=" + started.minusSeconds(60) + "\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertTrue(db.port() > 0);
        }
        assertEquals("", Files.readString(ownerFile), "the record is cleared on close");

        // A live recorded owner is refused even where the file system did not keep its lock.
        Files.writeString(ownerFile, "pid=" + live.pid() + "\nstarted=" + started + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data));
        assertTrue(e.getMessage().contains("process " + live.pid()), e.getMessage());
    }

    private static List<String> durabilitySettings(EmbeddedDatabase db) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
                Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("show " + setting)) {
                    rs.next();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
