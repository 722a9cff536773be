package org.cellforge.engine;

/** Lifecycle of a search; it only moves forward. */
public enum SearchStatus {
    /** Accepted, not started yet. */
    QUEUED,
    /** Trials are being proposed and trained. */
    RUNNING,
    /** The chosen architectures are being retrained and tested. */
    RETRAINING,
    /** The budget was used or the controller finished, and the final retraining ran. */
    SUCCEEDED,
    /** Stopped by an error, or no trial succeeded; {@code error} says which. */
    FAILED,
    /** The process running it stopped before it finished. */
    INTERRUPTED;

    /** Whether the search can still change. */
    public boolean live() {
        return this == QUEUED || this == RUNNING || this == RETRAINING;
    }
}
