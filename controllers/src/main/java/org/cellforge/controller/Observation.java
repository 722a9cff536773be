package org.cellforge.controller;

import java.util.Objects;
import java.util.OptionalDouble;

import org.cellforge.space.Architecture;

/**
 * The outcome of one evaluated architecture.
 *
 * @param architecture what was evaluated
 * @param score the validation score to maximize, empty when the evaluation failed
 * @param <A> the architecture type
 */
public record Observation<A extends Architecture>(A architecture, OptionalDouble score) {

    public Observation {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(score, "score");
        if (score.isPresent() && !Double.isFinite(score.getAsDouble())) {
            throw new IllegalArgumentException("score must be finite, got " + score.getAsDouble());
        }
    }

    /** A successful evaluation. */
    public static <A extends Architecture> Observation<A> of(A architecture, double score) {
        return new Observation<>(architecture, OptionalDouble.of(score));
    }

    /** A failed evaluation: it tells the controller not to propose the architecture as good. */
    public static <A extends Architecture> Observation<A> failed(A architecture) {
        return new Observation<>(architecture, OptionalDouble.empty());
    }
}
