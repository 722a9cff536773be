package org.cellforge.evaluator;

/** Receives the metrics of each epoch as soon as it ends, so callers can persist and stream them. */
@FunctionalInterface
public interface EpochListener {

    /** Called once per completed epoch, on the training thread. */
    void epochDone(EpochMetrics metrics);

    /** A listener that ignores everything. */
    static EpochListener none() {
        return metrics -> { };
    }
}
