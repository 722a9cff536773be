package org.cellforge.engine;

import org.cellforge.controller.Observation;

/** Lifecycle of one trial. */
public enum TrialStatus {
    /** Being trained. */
    RUNNING,
    /** Trained to the end; validation accuracy is set. */
    SUCCEEDED,
    /** Stopped early by the search's rule for looking weak; validation accuracy is that of its last epoch. */
    STOPPED,
    /** Diverged, failed or interrupted; {@code failure} says why. */
    FAILED;

    /** The status of a trial that ended with {@code outcome}. */
    public static TrialStatus of(Observation.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> SUCCEEDED;
            case STOPPED -> STOPPED;
            case FAILED -> FAILED;
        };
    }

    /** The controller's view of a trial that ended with this status. */
    public Observation.Outcome outcome() {
        return switch (this) {
            case SUCCEEDED -> Observation.Outcome.SUCCEEDED;
            case STOPPED -> Observation.Outcome.STOPPED;
            case FAILED, RUNNING -> Observation.Outcome.FAILED;
        };
    }
}
