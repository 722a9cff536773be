package org.cellforge.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run from bundled binaries, so Cellforge works with no database set up.
 * Its data directory persists between runs: a {@code server} started later shows the searches of
 * an earlier {@code search}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** Database, user and password of the embedded server (it listens on loopback only). */
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server keeping its files in {@code dataDirectory} (created if missing; reused if it
     * holds a database already).
     *
     * @throws IllegalStateException naming the directory if the server cannot start, for example
     *     because another process uses the same directory
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + dataDirectory, e);
        }
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        long owner = serverPid(pidFile);
        if (owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("the database directory " + dataDirectory
                    + " is in use by another Cellforge process (its database server runs as process " + owner
                    + "); stop that process, or choose another data directory");
        }
        // A pid file whose server is gone was left by a process that was killed: PostgreSQL starts over it.
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .start());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The process id in the first line of a PostgreSQL pid file, or 0 if there is none. */
    private static long serverPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return 0;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return first.matches("\\d+") ? Long.parseLong(first) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts a throwaway server in a temporary directory, removed on {@link #close()}. */
    public static EmbeddedDatabase startTemporary() {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a temporary embedded PostgreSQL", e);
        }
    }

    /** JDBC URL of the default database. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, USER);
    }

    /** TCP port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }
}
