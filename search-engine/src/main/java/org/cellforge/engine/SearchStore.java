package org.cellforge.engine;

import java.util.List;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;

/**
 * The port through which a search stores everything it does. Each method is one transaction, so
 * what is stored is never half-written; a trial's result and the controller state that saw it are
 * stored together.
 */
public interface SearchStore {

    /**
     * Stores a new search in QUEUED state.
     *
     * @param request the normalized request
     * @param dataset the shape of the dataset's images and its fingerprint
     * @return the new search's id
     */
    long create(SearchRequest request, DatasetInfo dataset);

    /**
     * The search with {@code id}.
     *
     * @throws NotFoundException if there is none
     */
    StoredSearch load(long id);

    /**
     * Moves a QUEUED search to RUNNING.
     *
     * @throws ConflictException if it is not QUEUED
     */
    void started(long searchId);

    /** Stores the warm start's scored candidates and the controller state that took them. */
    void warmStarted(long searchId, List<ScoredCandidate> ranked, ControllerState state);

    /**
     * Stores a trial about to be trained, with the controller state that proposed it.
     *
     * @return the trial's id
     */
    long trialStarted(long searchId, int number, String arch, String canonical, Cost cost, ControllerState state);

    /** Stores an epoch of a running trial as soon as it ends. */
    void epochFinished(long trialId, EpochRecord epoch);

    /** Stores how a trial ended, its checkpoint, and the controller state that was told. */
    void trialFinished(long trialId, TrialResult result, ControllerState state);

    /**
     * Ends a trial of a weight-sharing search as SUCCEEDED with its supernet estimate (no training of
     * its own), with the controller state that was told.
     */
    void trialEstimated(long trialId, double estimate, double seconds, ControllerState state);

    /** Stores an epoch of a supernet's training (with DARTS's architecture weights). */
    void supernetEpoch(long searchId, SupernetEpoch epoch);

    /**
     * Stores the checkpoint after supernet epoch {@code epoch}, keeping only the newest {@code keep}
     * of the search.
     */
    void checkpoint(long searchId, int epoch, byte[] state, ControllerState controller, int keep);

    /** The newest supernet checkpoint of a search, if any. */
    java.util.Optional<SupernetCheckpoint> latestCheckpoint(long searchId);

    /**
     * Moves an INTERRUPTED search back to RUNNING to continue after supernet epoch {@code fromEpoch}:
     * what it stored after that point (trials, retrainings, later epochs) is removed, to be computed
     * again exactly as before.
     *
     * @throws ConflictException if it is not INTERRUPTED
     */
    void resumed(long searchId, int fromEpoch);

    /** Marks a trial FAILED with {@code reason} when storing its result failed. */
    void trialFailed(long trialId, String reason);

    /** Moves a RUNNING search to RETRAINING. */
    void retraining(long searchId);

    /**
     * Stores a final retraining about to start.
     *
     * @return its id
     */
    long retrainStarted(long searchId, int trialNumber, String arch, Cost cost, int epochs);

    /** Stores how a final retraining ended. */
    void retrainFinished(long retrainId, RetrainResult result);

    /** Ends a search; trials and retrainings still RUNNING are marked FAILED with {@code error} or a reason. */
    void finished(long searchId, SearchStatus status, String error);
}
