package org.cellforge.engine;

import java.util.List;

import org.cellforge.controller.Cost;

/**
 * What happens in a running search, published after it is stored: the command line prints these,
 * the dashboard pushes them.
 */
public sealed interface SearchEvent {

    /** The search this event belongs to. */
    long searchId();

    /** The search began running. */
    record Started(long searchId, SearchRequest request) implements SearchEvent {
    }

    /** The warm start scored its candidates; {@code best} holds the best first. */
    record WarmStarted(long searchId, int scored, List<ScoredCandidate> best) implements SearchEvent {
    }

    /** A trial began training. */
    record TrialStarted(long searchId, int number, String arch, Cost cost) implements SearchEvent {
    }

    /** A trial finished an epoch. */
    record Epoch(long searchId, int number, EpochRecord epoch) implements SearchEvent {
    }

    /**
     * A trial ended: trained stand-alone, or (with {@code estimate}) measured on the supernet's weights,
     * in which case its accuracy is a supernet estimate.
     */
    record TrialFinished(long searchId, int number, String arch, Cost cost, TrialResult result, int budget,
            boolean estimate) implements SearchEvent {
    }

    /** A proposal computing the same function as trial {@code sameAs} was answered from its result. */
    record Repeated(long searchId, String arch, int sameAs) implements SearchEvent {
    }

    /**
     * The final retraining of trial {@code number}'s architecture began, planned for {@code epochs};
     * {@code secondsPerEpoch} is the pace a time budget was planned at, from its trial's, and NaN when
     * it was not (no budget, or its trial's pace or its own number of images unknown: a budgeted one is
     * then planned after its first epoch).
     */
    record RetrainStarted(long searchId, int number, String arch, int epochs, double secondsPerEpoch)
            implements SearchEvent {
    }

    /**
     * A final retraining with a time budget planned its length again after epoch {@code epoch}, having
     * spent {@code spentSeconds} in its epochs and expecting {@code secondsPerEpoch} for each of the next:
     * {@code epochs} in all instead of the {@code before} planned until then (at first from its trial's
     * pace).
     */
    record RetrainReplanned(long searchId, int number, int epoch, int before, int epochs, double secondsPerEpoch,
            double spentSeconds) implements SearchEvent {
    }

    /** An epoch of a final retraining ended. */
    record RetrainEpoch(long searchId, int number, EpochRecord epoch) implements SearchEvent {
    }

    /** A final retraining ended. */
    record RetrainFinished(long searchId, int number, String arch, Cost cost, RetrainResult result)
            implements SearchEvent {
    }

    /** The supernet finished an epoch (its alpha too, for DARTS). */
    record SupernetTrained(long searchId, SupernetEpoch epoch) implements SearchEvent {
    }

    /** An interrupted search continues after supernet epoch {@code fromEpoch} (0: from the start). */
    record Resumed(long searchId, int fromEpoch) implements SearchEvent {
    }

    /** Stand-alone training of a finalist chosen by its supernet estimate began. */
    record FinalistStarted(long searchId, int number, String arch, double estimate) implements SearchEvent {
    }

    /** The search ended. */
    record Finished(long searchId, SearchStatus status, String error) implements SearchEvent {
    }
}
