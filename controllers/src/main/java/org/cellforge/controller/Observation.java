package org.cellforge.controller;

import java.util.Objects;
import java.util.Optional;

import org.cellforge.space.Architecture;

/**
 * The outcome of one evaluated architecture.
 *
 * @param architecture what was evaluated
 * @param outcome how the evaluation ended
 * @param objectives what it measured; present unless the evaluation failed. A stopped trial's
 *        accuracy is the one it had when it was stopped (fewer epochs than the others).
 * @param <A> the architecture type
 */
public record Observation<A extends Architecture>(A architecture, Outcome outcome, Optional<Objectives> objectives) {

    /** How an evaluation ended. */
    public enum Outcome {
        /** Trained to the end. */
        SUCCEEDED,
        /** Stopped early by the search's early-stopping rule for looking weak. */
        STOPPED,
        /** Diverged or failed; there is no measurement. */
        FAILED
    }

    public Observation {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(objectives, "objectives");
        if ((outcome == Outcome.FAILED) == objectives.isPresent()) {
            throw new IllegalArgumentException(outcome + " observations " + (outcome == Outcome.FAILED
                    ? "carry no objectives" : "need objectives"));
        }
    }

    /** A successful evaluation. */
    public static <A extends Architecture> Observation<A> of(A architecture, Objectives objectives) {
        return new Observation<>(architecture, Outcome.SUCCEEDED, Optional.of(objectives));
    }

    /** A successful evaluation that measured only a score (costs zero), for tests and proxies. */
    public static <A extends Architecture> Observation<A> of(A architecture, double accuracy) {
        return of(architecture, new Objectives(accuracy, 0, 0));
    }

    /** An evaluation stopped early with what it had measured by then. */
    public static <A extends Architecture> Observation<A> stopped(A architecture, Objectives objectives) {
        return new Observation<>(architecture, Outcome.STOPPED, Optional.of(objectives));
    }

    /** A failed evaluation: it tells the controller not to propose the architecture as good. */
    public static <A extends Architecture> Observation<A> failed(A architecture) {
        return new Observation<>(architecture, Outcome.FAILED, Optional.empty());
    }

    /** The measured accuracy, or empty for a failed evaluation. */
    public Optional<Double> accuracy() {
        return objectives.map(Objectives::accuracy);
    }
}
