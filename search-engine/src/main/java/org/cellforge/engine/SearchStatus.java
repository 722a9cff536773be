package org.cellforge.engine;

/** Lifecycle of a search. */
public enum SearchStatus {
    /** Accepted, not started yet. */
    QUEUED,
    /** Trials are being proposed and trained. */
    RUNNING,
    /** Proposes nothing until resumed; trials already handed to workers finish. */
    PAUSED,
    /** The chosen architectures are being retrained and tested. */
    RETRAINING,
    /** The budget was used or the controller finished, and the final retraining ran. */
    SUCCEEDED,
    /** Stopped by an error, or no trial succeeded; {@code error} says which. */
    FAILED,
    /** Cancelled, or stopped in a way no process took it up from; it can be resumed. */
    INTERRUPTED;

    /** Whether the search has ended: nothing works on it until it is resumed (INTERRUPTED) or ever. */
    public boolean ended() {
        return this == SUCCEEDED || this == FAILED || this == INTERRUPTED;
    }

    /** Whether the search can still change. */
    public boolean live() {
        return this == QUEUED || this == RUNNING || this == RETRAINING;
    }
}
