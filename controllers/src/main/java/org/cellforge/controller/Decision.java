package org.cellforge.controller;

import java.util.Objects;

import org.cellforge.space.Architecture;

/**
 * What a controller answers when asked for work: an architecture to evaluate, a request to wait
 * until an outstanding evaluation is told (a generation is incomplete), or the end of its search.
 *
 * @param <A> the architecture type
 */
public sealed interface Decision<A extends Architecture> {

    /** Evaluate {@code architecture}, then tell the controller how it did. */
    record Propose<A extends Architecture>(A architecture) implements Decision<A> {
        public Propose {
            Objects.requireNonNull(architecture, "architecture");
        }
    }

    /** Nothing to propose until an outstanding evaluation is told. */
    record Wait<A extends Architecture>() implements Decision<A> {
    }

    /** The controller will propose nothing more; {@code reason} says why, for the search's log. */
    record Done<A extends Architecture>(String reason) implements Decision<A> {
        public Done {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Evaluate {@code architecture}. */
    static <A extends Architecture> Decision<A> propose(A architecture) {
        return new Propose<>(architecture);
    }

    /** Wait for an outstanding evaluation. */
    static <A extends Architecture> Decision<A> waitForResults() {
        return new Wait<>();
    }

    /** Propose nothing more. */
    static <A extends Architecture> Decision<A> done(String reason) {
        return new Done<>(reason);
    }
}
