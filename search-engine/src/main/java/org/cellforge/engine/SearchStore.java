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
     * Stores a new search in QUEUED state that the calling process coordinates itself: for
     * {@code reservedFor}, {@link #live()} leaves it out, so that no other process takes it up before
     * this one holds its lock.
     *
     * @return the new search's id
     */
    default long createReserved(SearchRequest request, DatasetInfo dataset, java.time.Duration reservedFor) {
        return create(request, dataset);
    }

    /**
     * The search with {@code id}.
     *
     * @throws NotFoundException if there is none
     */
    StoredSearch load(long id);

    /**
     * Moves a QUEUED search to RUNNING, in one step with reading its status: one paused or cancelled
     * since its coordinator loaded it (PAUSED, INTERRUPTED) is left as it is.
     *
     * @return its status afterwards: RUNNING, or the PAUSED or INTERRUPTED that stopped the move
     * @throws ConflictException if it is in any other state
     */
    SearchStatus started(long searchId);

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

    /**
     * Stores how a trial ended and its checkpoint, if it is still RUNNING: workers may deliver a result
     * twice, and a trial whose search was stopped keeps the reason it was stopped for. With a controller
     * state, the trial is stored as told to it; without, the search's coordinator tells it later.
     *
     * @return whether the result was stored
     */
    boolean trialFinished(long trialId, TrialResult result, ControllerState state);

    /**
     * Stores the stand-alone training of a weight-sharing search's finalist, a trial that ended with its
     * supernet estimate, with the controller state after it.
     */
    void finalistTrained(long trialId, TrialResult result, ControllerState state);

    /**
     * The status of a search alone.
     *
     * @throws NotFoundException if there is none
     */
    default SearchStatus status(long searchId) {
        return load(searchId).status();
    }

    /**
     * Takes trial {@code trialId} up for a new attempt on worker {@code worker}, if it is still
     * RUNNING in a search that has not ended: counts the attempt and removes what an earlier attempt
     * stored (epochs, checkpoint), so that a trial delivered again trains from the start.
     *
     * @return the trial to train, or empty if there is nothing to do
     */
    java.util.Optional<TrialClaim> claimTrial(long trialId, String worker);

    /**
     * A trial a worker took up.
     *
     * @param searchId its search
     * @param trialId the trial
     * @param number its number in the search
     * @param arch its architecture's text form
     * @param attempt one for the first delivery
     */
    record TrialClaim(long searchId, long trialId, int number, String arch, int attempt) {
    }

    /**
     * Records that the controller proposed {@code arch}, a function equal to running trial {@code trialId},
     * with the controller state after that proposal: the proposal is told the trial's result with it.
     */
    void trialRepeated(long trialId, String arch, ControllerState state);

    /** Stores that the controller was told trial {@code trialId}'s result (and its repeats'), with its state after. */
    void trialTold(long trialId, ControllerState state);

    /** The trials of a search whose results the controller has not been told, running or ended. */
    List<StoredTrial> untold(long searchId);

    /**
     * Searches that are QUEUED (and not reserved by the process that made them), RUNNING or RETRAINING,
     * oldest first: what coordinators take up.
     */
    List<Long> live();

    /**
     * Moves a QUEUED or RUNNING search to PAUSED: its coordinator proposes nothing more; trials already
     * handed to workers finish and are told when it resumes.
     *
     * @throws ConflictException naming the reason if it is in another state
     */
    void paused(long searchId);

    /**
     * Moves a PAUSED search back to RUNNING (QUEUED if it had not started), for a coordinator to take up.
     *
     * @throws ConflictException naming the reason if it is not PAUSED
     */
    void unpaused(long searchId);

    /**
     * Stops a search that has not ended: INTERRUPTED, with its running trials and retrainings FAILED for
     * {@value #CANCELLED}.
     *
     * @throws ConflictException naming the reason if it has ended
     */
    void cancelled(long searchId);

    /** The reason stored with trials cut short because their search was stopped; resuming trains them again. */
    String CANCELLED = "the search was cancelled";

    /**
     * Removes the final retrainings of a search left unfinished by a process that stopped, to be run
     * again.
     *
     * @return trial numbers whose final retraining ended, successfully or not
     */
    java.util.Set<Integer> restartRetraining(long searchId);

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
     * Moves an INTERRUPTED weight-sharing search back to RUNNING (or takes over a RUNNING one whose
     * process stopped) to continue after supernet epoch {@code fromEpoch}: what it stored after that
     * point (trials, retrainings, later epochs) is removed, to be computed again exactly as before.
     *
     * @throws ConflictException if it is not INTERRUPTED or RUNNING
     */
    void resumed(long searchId, int fromEpoch);

    /**
     * Moves an INTERRUPTED search that trains each candidate on its own back to RUNNING, keeping its
     * trials: those cut short by the stop ({@value #CANCELLED}) and not yet told are RUNNING again, to be
     * trained anew.
     *
     * @return ids of the trials to hand to workers again
     * @throws ConflictException if it is not INTERRUPTED
     */
    List<Long> resumedFromSnapshot(long searchId);

    /** Marks a trial FAILED with {@code reason} when storing its result failed. */
    void trialFailed(long trialId, String reason);

    /**
     * Moves a RUNNING search (RETRAINING when taken over, SUCCEEDED for a later retraining) to
     * RETRAINING, in one step with reading its status: one paused or cancelled since its coordinator
     * last looked (PAUSED, INTERRUPTED) is left as it is, so that the pause or cancellation a user was
     * told of holds.
     *
     * @return its status afterwards: RETRAINING, or the PAUSED or INTERRUPTED that stopped the move
     */
    SearchStatus retraining(long searchId);

    /**
     * Stores a final retraining about to start.
     *
     * @return its id
     */
    long retrainStarted(long searchId, int trialNumber, String arch, Cost cost, int epochs);

    /** Stores the length a final retraining planned again once it had started. */
    void retrainReplanned(long retrainId, int epochs);

    /** Stores how a final retraining ended. */
    void retrainFinished(long retrainId, RetrainResult result);

    /**
     * Ends a search; trials and retrainings still RUNNING are marked FAILED with {@code error} or a
     * reason. A search ended already (by a cancellation in another process, say) keeps that end, and a
     * PAUSED one does not end SUCCEEDED: paused after its last result, it ends once resumed.
     *
     * @return its status afterwards
     */
    SearchStatus finished(long searchId, SearchStatus status, String error);
}
