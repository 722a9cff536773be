package org.cellforge.engine;

import org.cellforge.controller.Cost;
import org.cellforge.space.Architecture;

/**
 * The port through which a search evaluates architectures: one per running search, holding its data
 * split, macro network and training recipe: stand-alone training of candidates, a supernet whose
 * paths they are ({@link #sharedWeights}), and DARTS's differentiable search ({@link #differentiable}).
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
     * Retrains {@code architecture} stand-alone on the search's retraining data (train+validation, or
     * the whole training file) for {@code epochs} epochs and measures it once on the test split.
     */
    RetrainResult retrain(A architecture, int epochs, EpochSink progress);

    /**
     * The images one epoch of {@link #retrain} trains on, when known before it starts, so that a
     * retraining with a time budget can choose its epochs.
     */
    default java.util.OptionalLong retrainingImages() {
        return java.util.OptionalLong.empty();
    }

    /**
     * The supernet of a weight-sharing search, freshly initialized, to be trained for {@code epochs}
     * epochs.
     *
     * @throws UnsupportedOperationException if this evaluation cannot share weights
     */
    default SharedWeights<A> sharedWeights(int epochs) {
        throw new UnsupportedOperationException("this evaluation trains every candidate on its own weights");
    }

    /**
     * Runs a differentiable (DARTS) search for {@code epochs} epochs with the strategy's validated
     * {@code options}, from {@code resume} if given, reporting each epoch with its architecture weights
     * and training state to {@code progress}, which may stop it.
     *
     * @throws UnsupportedOperationException if this evaluation has no differentiable search
     */
    default OneShotResult<A> differentiable(java.util.Map<String, Object> options, int epochs,
            java.util.Optional<byte[]> resume, OneShotProgress progress) {
        throw new UnsupportedOperationException("this evaluation has no differentiable search");
    }

    /** Receives each epoch of a differentiable search. */
    @FunctionalInterface
    interface OneShotProgress {
        /**
         * Called after each epoch on the training thread.
         *
         * @param state the training state after the epoch, from which the search resumes
         * @return true to go on, false to stop (cancel)
         */
        boolean epochDone(SupernetEpoch epoch, byte[] state);
    }

    @Override
    default void close() {
    }
}
