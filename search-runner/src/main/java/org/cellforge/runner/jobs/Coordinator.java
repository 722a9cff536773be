package org.cellforge.runner.jobs;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.cellforge.engine.SearchEngine;
import org.cellforge.engine.SearchEvent;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.SearchStore;
import org.cellforge.engine.TrialExecutor;

/**
 * Coordinates the searches of a shared database from this process: looks for searches that need a
 * coordinator (QUEUED, or RUNNING and RETRAINING ones whose process stopped), takes each one's lock,
 * and runs its controller here until it ends or is paused. Several server processes may run one each;
 * the locks make sure that a search's controller lives in one of them at a time.
 *
 * <p>QUEUED searches start in the order they were made, one at a time, each when a trial slot is free
 * and the one started before it has handed over its first trial (weight-sharing searches, which train
 * in their coordinator, do not wait for a slot).
 */
public final class Coordinator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

    private final SearchEngine engine;
    private final SearchStore store;
    private final SearchLocks locks;
    private final TrialExecutor trials;
    private final ScheduledExecutorService scanner;
    private final Map<Long, Thread> running = new ConcurrentHashMap<>();
    /** Searches this process started from QUEUED that have not handed over a trial yet: they claim a slot. */
    private final java.util.Set<Long> starting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Coordinator(SearchEngine engine, SearchStore store, SearchLocks locks, TrialExecutor trials) {
        this.engine = engine;
        this.store = store;
        this.locks = locks;
        this.trials = trials;
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellforge-coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts looking for searches to coordinate now and every {@code every}. */
    public static Coordinator start(SearchEngine engine, SearchStore store, SearchLocks locks, TrialExecutor trials,
            Duration every) {
        Coordinator c = new Coordinator(engine, store, locks, trials);
        c.scanner.scheduleWithFixedDelay(c::scanSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    /** Looks for work at once: a search was made, resumed or ended. */
    public void wake() {
        if (!closed) {
            try {
                scanner.execute(this::scanSafely);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closing.
            }
        }
    }

    /** Whether this process coordinates search {@code searchId} now. */
    public boolean coordinates(long searchId) {
        return running.containsKey(searchId);
    }

    /**
     * Interrupts this process's coordinator of search {@code searchId}, if it has one: a search cancelled
     * in the database stops at once instead of at its next look at the database.
     */
    public void interrupt(long searchId) {
        Thread t = running.get(searchId);
        if (t != null) {
            t.interrupt();
        }
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "looking for searches to coordinate failed; trying again later", e);
        }
    }

    private void scan() {
        // In order: one QUEUED search at a time, once the one started before it holds its slot; when the
        // oldest cannot start, none after it does.
        boolean queuedMayStart = starting.isEmpty();
        Integer idle = null;
        for (long id : store.live()) {
            if (closed) {
                return;
            }
            if (running.containsKey(id)) {
                continue;
            }
            // The status alone: loading a search reads all its trials and epochs, every scan, for searches that
            // other processes coordinate.
            SearchStatus status = store.status(id);
            boolean queued = status == SearchStatus.QUEUED;
            if (queued) {
                if (!queuedMayStart) {
                    continue;
                }
                // A QUEUED search has no trials yet: loading it is cheap.
                if (!store.load(id).request().weightSharing()) {
                    idle = idle == null ? trials.idleSlots() : idle;
                    if (idle == 0) {
                        queuedMayStart = false;
                        continue;
                    }
                }
            } else if (!status.live()) {
                continue;
            }
            Optional<SearchLocks.Lock> lock = locks.tryLock(id);
            if (lock.isEmpty()) {
                continue;
            }
            if (queued) {
                queuedMayStart = false;
                starting.add(id);
            }
            Thread t = new Thread(() -> coordinate(id, lock.get()), "cellforge-search-" + id);
            t.setDaemon(true);
            running.put(id, t);
            t.start();
        }
    }

    private void coordinate(long id, SearchLocks.Lock lock) {
        try {
            SearchStatus status = engine.coordinate(id, trials, event -> {
                if (event instanceof SearchEvent.TrialStarted || event instanceof SearchEvent.SupernetTrained
                        || event instanceof SearchEvent.Finished) {
                    if (starting.remove(id)) {
                        wake();
                    }
                }
            });
            LOG.log(Level.DEBUG, "search " + id + " is " + status + "; this process stops coordinating it");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "coordinating search " + id + " failed", e);
        } finally {
            starting.remove(id);
            lock.close();
            running.remove(id);
            wake();
        }
    }

    /**
     * Stops looking for work. Searches coordinated here stay as they are stored (RUNNING), for this or
     * another process to take over: a server that restarts continues them.
     */
    @Override
    public void close() {
        closed = true;
        scanner.shutdownNow();
    }
}
