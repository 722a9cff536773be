package org.cellforge.web.search;

/** Receives each finished trial of a running search, for progress output. */
@FunctionalInterface
public interface SearchProgress {

    /** Called on the search thread after the trial is stored. */
    void trialFinished(TrialInfo trial, int budget);

    /** Ignores progress. */
    static SearchProgress none() {
        return (trial, budget) -> { };
    }
}
