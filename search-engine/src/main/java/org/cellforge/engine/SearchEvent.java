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

    /** A trial ended. */
    record TrialFinished(long searchId, int number, String arch, Cost cost, TrialResult result, int budget)
            implements SearchEvent {
    }

    /** A proposal computing the same function as trial {@code sameAs} was answered from its result. */
    record Repeated(long searchId, String arch, int sameAs) implements SearchEvent {
    }

    /** The final retraining of trial {@code number}'s architecture began. */
    record RetrainStarted(long searchId, int number, String arch, int epochs) implements SearchEvent {
    }

    /** An epoch of a final retraining ended. */
    record RetrainEpoch(long searchId, int number, EpochRecord epoch) implements SearchEvent {
    }

    /** A final retraining ended. */
    record RetrainFinished(long searchId, int number, String arch, Cost cost, RetrainResult result)
            implements SearchEvent {
    }

    /** The search ended. */
    record Finished(long searchId, SearchStatus status, String error) implements SearchEvent {
    }
}
