package org.cellforge.runner.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Which process coordinates a search: a PostgreSQL session-level advisory lock per search, held on a
 * connection of its own for as long as the process coordinates it. PostgreSQL releases it when that
 * session ends, also when the process is killed, so a search is never coordinated twice and never
 * stays locked by a process that is gone; no lease needs renewing.
 */
public final class SearchLocks {

    /** The high bits of every key, so that Cellforge's locks cannot meet another application's. */
    private static final long NAMESPACE = 0x4346_4700_0000_0000L;

    private final DataSource dataSource;

    public SearchLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing it releases the lock. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of search {@code searchId} if no session holds it.
     *
     * @return the lock, or empty if another process coordinates the search
     * @throws IllegalStateException if the database cannot be reached
     */
    public Optional<Lock> tryLock(long searchId) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, NAMESPACE | searchId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        return Optional.empty();
                    }
                }
            }
            Connection held = c;
            return Optional.of(() -> release(held, searchId));
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot lock search " + searchId + ": " + e.getMessage(), e);
        }
    }

    /** Whether some session holds the lock of search {@code searchId}. */
    public boolean held(long searchId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks where locktype = 'advisory' "
                        + "and granted and ((classid::bigint << 32) | objid::bigint) = ?")) {
            ps.setLong(1, NAMESPACE | searchId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the locks of search " + searchId + ": " + e.getMessage(), e);
        }
    }

    private static void release(Connection c, long searchId) {
        try (c; PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, NAMESPACE | searchId);
            ps.execute();
        } catch (SQLException e) {
            // The session is gone or going: PostgreSQL released the lock with it.
        }
    }
}
