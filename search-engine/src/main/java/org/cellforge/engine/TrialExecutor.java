package org.cellforge.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a search's trials are trained: threads of this process ({@link LocalTrials}) or workers of a
 * job engine in any number of processes. The coordinator of a search stores each trial before it hands
 * it over and reads each result back from the store, so nothing it needs lives only here.
 */
public interface TrialExecutor {

    /** Trials that could start at once: free worker slots not already claimed by trials waiting for one. */
    int idleSlots();

    /**
     * Hands stored RUNNING trial {@code trialId} of search {@code searchId} to a worker. Handing the same
     * trial over again while it is queued or training does nothing: a coordinator that takes over a
     * search hands over every trial it finds unfinished.
     */
    void submit(long searchId, long trialId);

    /** Blocks until a handed-over trial may have ended, or {@code timeout} has passed. */
    void awaitChange(Duration timeout) throws InterruptedException;

    /**
     * Why the worker side gave trial {@code trialId} up without storing a result (its attempts ran out,
     * or its job is gone), if it did.
     */
    Optional<String> givenUp(long trialId);

    /** How often {@link #givenUp} is worth asking: it may cost a query per trial in flight. */
    default Duration givenUpCheckInterval() {
        return Duration.ZERO;
    }

    /**
     * Whether this executor is shutting down with its process: a coordinator that fails then leaves its
     * search as stored, for the next process to take over, instead of ending it.
     */
    default boolean closing() {
        return false;
    }
}
