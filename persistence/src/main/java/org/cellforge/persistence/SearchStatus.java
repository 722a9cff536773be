package org.cellforge.persistence;

/** Lifecycle of a search; it only moves forward. */
public enum SearchStatus {
    /** Accepted, not started yet. */
    QUEUED,
    /** Trials are being proposed and trained. */
    RUNNING,
    /** The budget was used or the space exhausted. */
    SUCCEEDED,
    /** Stopped by an error; {@code error} says which. */
    FAILED,
    /** The process running it stopped before it finished. */
    INTERRUPTED
}
