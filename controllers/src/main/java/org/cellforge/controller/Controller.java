package org.cellforge.controller;

import java.util.Optional;

import org.cellforge.space.Architecture;

/**
 * A search strategy in ask/tell form. The caller owns the loop, the budget and the workers: it asks
 * for a candidate, has it evaluated wherever it likes, and tells the result back. Keeping the loop
 * outside lets the same strategy drive one local thread or many remote workers.
 *
 * @param <A> the architecture type of the space searched
 */
public interface Controller<A extends Architecture> {

    /** Next architecture to evaluate, or empty when this controller has nothing more to propose. */
    Optional<A> ask();

    /** Reports the outcome of an architecture this controller proposed. */
    void tell(Observation<A> observation);
}
