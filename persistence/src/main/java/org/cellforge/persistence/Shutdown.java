package org.cellforge.persistence;

import java.lang.System.Logger.Level;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What this process does when it is stopped (Ctrl-C, SIGTERM), in order. The JVM runs its shutdown
 * hooks all at once, so a hook that records a search as interrupted raced the hook that stopped the
 * embedded database, and lost: the search's last write failed and it was reported FAILED. Here the
 * first steps (recording what was cut short) run before the last (stopping the database), in one hook.
 */
public final class Shutdown {

    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private static final Deque<Runnable> FIRST = new ConcurrentLinkedDeque<>();
    private static final Deque<Runnable> LAST = new ConcurrentLinkedDeque<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Shutdown() {
    }

    /** A step that is no longer wanted once {@link #close()}d. */
    @FunctionalInterface
    public interface Step extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code step} when the process is stopped, while the database is still there. */
    public static Step first(Runnable step) {
        return add(FIRST, step);
    }

    /** Runs {@code step} when the process is stopped, after every {@link #first} step. */
    static Step last(Runnable step) {
        return add(LAST, step);
    }

    /** Whether this process is being stopped. */
    public static boolean started() {
        return STARTED.get();
    }

    private static Step add(Deque<Runnable> steps, Runnable step) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::run, "cellforge-shutdown"));
        }
        steps.add(step);
        return () -> steps.remove(step);
    }

    private static void run() {
        STARTED.set(true);
        drain(FIRST);
        drain(LAST);
    }

    private static void drain(Deque<Runnable> steps) {
        for (Runnable step = steps.pollLast(); step != null; step = steps.pollLast()) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a step of stopping this process failed; the next ones still run", e);
            }
        }
    }
}
