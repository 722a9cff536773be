package org.cellforge.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The ids of searches as their changes commit, from any process on the database: the schema's
 * triggers send them on {@link #CHANNEL} (migration V8), and this listens on one connection of its own.
 *
 * <p>A notice says only "look again": it is sent after the commit, so a reader that then queries
 * sees the change. Notices sent while the connection was lost are gone, so after every (re)connect
 * {@code resync} runs, and whoever listens reads everything it shows again.
 */
public final class SearchChanges implements AutoCloseable {

    /** The channel the triggers notify on. */
    public static final String CHANNEL = "cellforge_search";

    private static final Logger LOG = Logger.getLogger(SearchChanges.class.getName());

    /** How long one wait for notices lasts; also how soon {@link #close} is noticed. */
    private static final int WAIT_MS = 500;

    /** How long the connection may stay quiet before it is checked. */
    private static final Duration PING = Duration.ofSeconds(30);

    /** The longest pause between attempts to reconnect. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final LongConsumer changed;
    private final Runnable resync;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;

    private SearchChanges(DataSource dataSource, LongConsumer changed, Runnable resync) {
        this.dataSource = dataSource;
        this.changed = changed;
        this.resync = resync;
        this.thread = Thread.ofPlatform().daemon().name("cellforge-search-changes").unstarted(this::run);
    }

    /**
     * Starts listening in a thread of its own.
     *
     * @param changed called with a search's id after each committed change to it (on the listening
     *        thread: hand slow work elsewhere)
     * @param resync called once listening starts and after every reconnect, when changes may have been
     *        missed
     */
    public static SearchChanges listen(DataSource dataSource, LongConsumer changed, Runnable resync) {
        SearchChanges c = new SearchChanges(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(changed, "changed"), Objects.requireNonNull(resync, "resync"));
        c.thread.start();
        return c;
    }

    /** Whether the connection is up and listening now. */
    public boolean listening() {
        return listening;
    }

    private void run() {
        long backoffMs = 100;
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                backoffMs = 100;
                deliver(resync);
                long quietSince = System.nanoTime();
                while (!closed) {
                    PGNotification[] notices = pg.getNotifications(WAIT_MS);
                    if (notices == null || notices.length == 0) {
                        // A connection whose peer vanished without a word (a failover, a dropped NAT entry)
                        // only ever looks quiet: ask it something now and then, so that it fails and is
                        // replaced, with a resync.
                        if (System.nanoTime() - quietSince > PING.toNanos()) {
                            try (Statement s = connection.createStatement()) {
                                s.setQueryTimeout((int) PING.toSeconds());
                                s.execute("SELECT 1");
                            }
                            quietSince = System.nanoTime();
                        }
                        continue;
                    }
                    quietSince = System.nanoTime();
                    for (PGNotification n : notices) {
                        long id;
                        try {
                            id = Long.parseLong(n.getParameter());
                        } catch (NumberFormatException e) {
                            continue;
                        }
                        deliver(() -> changed.accept(id));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                LOG.log(Level.WARNING, "listening for search changes failed, retrying in " + backoffMs + " ms: "
                        + e.getMessage());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    break;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            }
        }
        listening = false;
    }

    /** A listener's failure is its own: it must not stop the notices of everyone else. */
    private static void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a listener of search changes failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
