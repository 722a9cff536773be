package org.cellforge.engine;

import java.util.Objects;

import org.cellforge.space.Architecture;

/**
 * How a one-shot (DARTS) search of the evaluation ended.
 *
 * @param genotype the discrete architecture read off the architecture weights
 * @param completed whether every epoch ran (false: cancelled)
 * @param estimate validation accuracy of the relaxed network after the last epoch: a supernet estimate
 * @param seconds wall time of the run
 * @param failure why it failed, if it did (a diverging loss); empty otherwise
 * @param <A> the architecture type
 */
public record OneShotResult<A extends Architecture>(A genotype, boolean completed, double estimate, double seconds,
        java.util.Optional<String> failure) {

    public OneShotResult {
        Objects.requireNonNull(genotype, "genotype");
        Objects.requireNonNull(failure, "failure");
    }
}
