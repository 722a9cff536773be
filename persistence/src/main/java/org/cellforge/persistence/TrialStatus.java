package org.cellforge.persistence;

/** Lifecycle of one trial. */
public enum TrialStatus {
    /** Being trained. */
    RUNNING,
    /** Trained; validation accuracy is set. */
    SUCCEEDED,
    /** Diverged, failed or interrupted; {@code failure} says why. */
    FAILED
}
