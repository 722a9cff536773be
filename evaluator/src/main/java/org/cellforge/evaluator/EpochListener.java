package org.cellforge.evaluator;

import java.util.function.Consumer;

/**
 * Receives the metrics of each epoch as soon as it ends, so callers can persist and stream them,
 * and decides whether training goes on (an early-stopping rule stops weak candidates here).
 */
@FunctionalInterface
public interface EpochListener {

    /**
     * Called once per completed epoch, on the training thread.
     *
     * @return true to train on, false to end training after this epoch
     */
    boolean epochDone(EpochMetrics metrics);

    /**
     * Called after {@link #epochDone} lets training go on: the epochs the training has in all from now,
     * {@code planned} until now. A retraining with a time budget plans its length again from its epochs'
     * measured times. The learning-rate schedule follows the new length from the next step;
     * fewer epochs than already trained end the training after this one.
     */
    default int epochs(EpochMetrics metrics, int planned) {
        return planned;
    }

    /** A listener that ignores everything and never stops training. */
    static EpochListener none() {
        return metrics -> true;
    }

    /** A listener that hands each epoch to {@code observer} and never stops training. */
    static EpochListener observing(Consumer<EpochMetrics> observer) {
        return metrics -> {
            observer.accept(metrics);
            return true;
        };
    }
}
