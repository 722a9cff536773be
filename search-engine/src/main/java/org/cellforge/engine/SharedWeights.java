package org.cellforge.engine;

import java.util.Optional;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Supplier;

import org.cellforge.space.Architecture;

/**
 * One supernet whose paths are the space's architectures: trained one sampled path per step, then
 * asked for estimates of candidates with inherited weights. Not thread-safe: paths share layers and
 * BatchNorm statistics, so one thread trains and estimates.
 *
 * @param <A> the architecture type
 */
public interface SharedWeights<A extends Architecture> {

    /**
     * Trains epoch {@code epoch} (one-based) of {@code epochs}: each step trains the path
     * {@code paths} gives on the next training batch. With a {@code reward} sink, the same path is
     * then measured on the next validation batch and its accuracy handed to the sink (the policy
     * update of ENAS). Batch order and augmentation depend only on the seed and the epoch, so a
     * training resumed from {@link #state} takes the steps an uninterrupted one takes.
     *
     * @return the epoch's metrics; its validation accuracy is a supernet estimate of a sampled path
     * @throws java.util.concurrent.CancellationException if the thread is interrupted
     */
    EpochRecord trainEpoch(int epoch, int epochs, Supplier<A> paths, Optional<ObjDoubleConsumer<A>> reward);

    /**
     * Validation accuracy of {@code architecture} with the supernet's weights after its BatchNorm
     * statistics are recomputed on training batches: a supernet estimate, not a stand-alone result.
     */
    double estimate(A architecture);

    /** Weights, BatchNorm statistics and optimizer state, as bytes from which {@link #restore} continues exactly. */
    byte[] state();

    /** Replaces weights, statistics and optimizer state by {@code state}. */
    void restore(byte[] state);

    /** Trainable scalars of the whole supernet. */
    long parameterCount();
}
