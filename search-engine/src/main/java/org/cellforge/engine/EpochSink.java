package org.cellforge.engine;

/** Receives each finished epoch of a training and says whether it goes on. */
@FunctionalInterface
public interface EpochSink {

    /**
     * Called after each epoch, on the training thread.
     *
     * @return true to train on, false to stop here (early stopping)
     * @throws java.util.concurrent.CancellationException if the search is being cancelled
     */
    boolean epochFinished(EpochRecord epoch);

    /**
     * Called after {@link #epochFinished} lets training go on: the epochs the training has in all from
     * now, {@code planned} until now (a time-budgeted retraining plans again after each epoch).
     */
    default int epochs(EpochRecord epoch, int planned) {
        return planned;
    }

    /** A sink that ignores epochs and never stops training. */
    static EpochSink ignore() {
        return e -> true;
    }
}
