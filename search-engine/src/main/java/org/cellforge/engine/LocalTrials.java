package org.cellforge.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trials trained on threads of this process by a {@link TrialWorker}: how a search runs alone on one
 * machine. Closing it interrupts the trainings, which then end as cancelled.
 */
public final class LocalTrials implements TrialExecutor, AutoCloseable {

    private final int slots;
    private final TrialWorker worker;
    private final SearchListener events;
    private final ExecutorService threads;
    private final Map<Long, String> failures = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int outstanding;
    private long changes;

    private LocalTrials(int slots, TrialWorker worker, SearchListener events, String name) {
        this.slots = slots;
        this.worker = worker;
        this.events = events;
        this.threads = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code slots} threads training with {@code worker}, its epochs published to {@code events}. */
    public static LocalTrials of(int slots, TrialWorker worker, SearchListener events, String threadName) {
        if (slots < 1) {
            throw new IllegalArgumentException("at least one slot is needed, got " + slots);
        }
        return new LocalTrials(slots, worker, events, threadName);
    }

    @Override
    public int idleSlots() {
        lock.lock();
        try {
            return slots - outstanding;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void submit(long searchId, long trialId) {
        lock.lock();
        try {
            outstanding++;
        } finally {
            lock.unlock();
        }
        threads.execute(() -> {
            try {
                worker.run(trialId, events);
            } catch (RuntimeException e) {
                // A worker throws only when it could not store what it did: the trial is given up with why.
                failures.put(trialId, e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                lock.lock();
                try {
                    outstanding--;
                    changes++;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    @Override
    public void awaitChange(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long seen = changes;
            long nanos = timeout.toNanos();
            while (changes == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> givenUp(long trialId) {
        return Optional.ofNullable(failures.remove(trialId));
    }

    /**
     * Interrupts running trainings. A training sees it at its next epoch; whatever it stores after its
     * search ended is refused by the store, so nobody waits for it.
     */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
