package org.cellforge.controller;

import java.util.List;

import org.cellforge.space.Architecture;

/**
 * A search strategy in ask/tell form. The caller owns the loop, the budget and the workers: it asks
 * for work, has proposals evaluated wherever it likes (several at once if it has the slots), and
 * tells each result back in any order. Keeping the loop outside lets the same strategy drive one
 * local thread or many remote workers.
 *
 * <p>The caller tells only architectures this controller proposed, each exactly once. A proposal
 * whose function was evaluated before in the same search may be answered from the stored result.
 *
 * @param <A> the architecture type of the space searched
 */
public interface Controller<A extends Architecture> {

    /** The registered name of this strategy, as in {@link ControllerState#controller()}. */
    String name();

    /** The next thing to do: evaluate an architecture, wait for outstanding results, or stop. */
    Decision<A> ask();

    /** Reports the outcome of an architecture this controller proposed. */
    void tell(Observation<A> observation);

    /**
     * Candidates ranked best first by a zero-cost proxy, given once before the first {@link #ask()}:
     * the controller begins from them instead of from uniform samples.
     */
    default void warmStart(List<A> bestFirst) {
    }

    /** The whole state, from which {@link #restore} continues exactly. */
    ControllerState snapshot();

    /**
     * Replaces this controller's state with {@code state}; called on a fresh controller made with the
     * same space, options and seed as the one that wrote it.
     *
     * @throws IllegalArgumentException if the state belongs to another controller, a version this code
     *     cannot read, or is malformed
     */
    void restore(ControllerState state);
}
