package org.cellforge.engine;

import org.cellforge.controller.Cost;
import org.cellforge.space.Architecture;

/**
 * The port through which a search evaluates architectures: one per running search, holding its data
 * split, macro network and training recipe. Stand-alone training today; a supernet later plugs in
 * here too.
 *
 * @param <A> the architecture type
 */
public interface Evaluation<A extends Architecture> extends AutoCloseable {

    /** Parameters and FLOPs of the network the search builds around {@code architecture}, without training. */
    Cost cost(A architecture);

    /** A zero-cost proxy score (higher is better) of {@code architecture} at initialization, for warm starts. */
    double zeroCost(A architecture);

    /**
     * Trains {@code architecture} stand-alone on the training split, reporting each epoch's validation
     * accuracy to {@code epochs}, which may stop it early. Never throws for a failing trial: divergence
     * and errors come back as a FAILED result with the reason.
     *
     * @param trial the trial's one-based number, for provenance
     */
    TrialResult train(A architecture, int trial, EpochSink epochs);

    /**
     * Retrains {@code architecture} stand-alone on train+validation for {@code epochs} epochs and
     * measures it once on the test split.
     */
    RetrainResult retrain(A architecture, int epochs, EpochSink progress);

    @Override
    default void close() {
    }
}
