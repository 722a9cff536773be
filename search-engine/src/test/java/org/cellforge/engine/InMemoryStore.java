package org.cellforge.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;

/** A store in memory for engine tests, recording what the engine stores; synchronized as a database would be. */
final class InMemoryStore implements SearchStore {

    static final class Trial {
        long id;
        int number;
        String arch;
        String canonical;
        Cost cost;
        TrialStatus status = TrialStatus.RUNNING;
        Double accuracy;
        String failure;
        final List<EpochRecord> epochs = new ArrayList<>();
        boolean checkpoint;
        Double estimate;
        double seconds;
        boolean told;
        int attempts;
        final List<String> repeats = new ArrayList<>();
    }

    static final class Retrain {
        int trialNumber;
        int epochs;
        String arch;
        RetrainResult result;
    }

    SearchRequest request;
    SearchStatus status;
    String error;
    /**
     * Runs as {@code started}, {@code retraining} or {@code finished} is called, before it reads the
     * status: what another process may do just after the coordinator last looked.
     */
    java.util.function.Consumer<String> meanwhile = step -> { };

    /** Runs {@code action} {@link #meanwhile}, the first time {@code step} is called. */
    void onceAt(String step, Runnable action) {
        meanwhile = s -> {
            if (s.equals(step)) {
                meanwhile = again -> { };
                action.run();
            }
        };
    }
    final List<SearchStatus> statuses = new ArrayList<>();
    final List<Trial> trials = new ArrayList<>();
    final List<Retrain> retrains = new ArrayList<>();
    List<ScoredCandidate> warmStart;
    final List<SupernetEpoch> supernetEpochs = new ArrayList<>();
    final List<SupernetCheckpoint> checkpoints = new ArrayList<>();
    ControllerState state;
    int states;
    /** When set, storing the result of this trial number fails. */
    int failStoringTrial = -1;

    @Override
    public synchronized long create(SearchRequest r, DatasetInfo dataset) {
        request = r;
        status = SearchStatus.QUEUED;
        statuses.add(status);
        return 1;
    }

    @Override
    public synchronized StoredSearch load(long id) {
        if (id != 1 || request == null) {
            throw new NotFoundException("no search with id " + id);
        }
        return new StoredSearch(1, request, status, Optional.ofNullable(state), trials.stream()
                .map(InMemoryStore::stored).toList());
    }

    private static StoredTrial stored(Trial t) {
        return new StoredTrial(t.id, t.number, t.arch, t.canonical, t.status, t.accuracy, t.cost,
                t.epochs.stream().map(EpochRecord::validationAccuracy).toList(), Optional.ofNullable(t.failure), t.seconds,
                t.told, t.repeats, StoredTrial.medianThroughput(t.epochs.stream().map(EpochRecord::imagesPerSecond)
                        .toList()));
    }

    @Override
    public synchronized SearchStatus status(long searchId) {
        return status;
    }

    @Override
    public synchronized Optional<TrialClaim> claimTrial(long trialId, String worker) {
        Trial t = trial(trialId);
        if (t.status != TrialStatus.RUNNING || !(status.live() || status == SearchStatus.PAUSED)) {
            return Optional.empty();
        }
        t.epochs.clear();
        t.attempts++;
        return Optional.of(new TrialClaim(1, t.id, t.number, t.arch, t.attempts));
    }

    @Override
    public synchronized void trialRepeated(long trialId, String arch, ControllerState s) {
        trial(trialId).repeats.add(arch);
        keep(s);
    }

    @Override
    public synchronized void trialTold(long trialId, ControllerState s) {
        trial(trialId).told = true;
        keep(s);
    }

    @Override
    public synchronized List<StoredTrial> untold(long searchId) {
        return trials.stream().filter(t -> !t.told).map(InMemoryStore::stored).toList();
    }

    @Override
    public synchronized List<Long> live() {
        return status.live() ? List.of(1L) : List.of();
    }

    @Override
    public synchronized void paused(long searchId) {
        if (status != SearchStatus.QUEUED && status != SearchStatus.RUNNING) {
            throw new ConflictException("search is " + status);
        }
        move(SearchStatus.PAUSED);
    }

    @Override
    public synchronized void unpaused(long searchId) {
        if (status != SearchStatus.PAUSED) {
            throw new ConflictException("search is " + status);
        }
        move(statuses.contains(SearchStatus.RUNNING) ? SearchStatus.RUNNING : SearchStatus.QUEUED);
    }

    @Override
    public synchronized void cancelled(long searchId) {
        if (!status.live() && status != SearchStatus.PAUSED) {
            throw new ConflictException("search is " + status);
        }
        finished(searchId, SearchStatus.INTERRUPTED, CANCELLED);
    }

    @Override
    public synchronized List<Long> resumedFromSnapshot(long searchId) {
        if (status != SearchStatus.INTERRUPTED) {
            throw new ConflictException("search is " + status);
        }
        List<Long> again = new ArrayList<>();
        for (Trial t : trials) {
            if (!t.told && t.status == TrialStatus.FAILED && CANCELLED.equals(t.failure)) {
                t.status = TrialStatus.RUNNING;
                t.failure = null;
                again.add(t.id);
            }
        }
        error = null;
        move(SearchStatus.RUNNING);
        return again;
    }

    @Override
    public synchronized java.util.Set<Integer> restartRetraining(long searchId) {
        retrains.removeIf(r -> r.result == null);
        java.util.Set<Integer> done = new java.util.HashSet<>();
        retrains.forEach(r -> done.add(r.trialNumber));
        return done;
    }

    @Override
    public synchronized SearchStatus started(long searchId) {
        meanwhile.accept("started");
        if (status == SearchStatus.PAUSED || status == SearchStatus.INTERRUPTED) {
            return status;
        }
        if (status != SearchStatus.QUEUED) {
            throw new ConflictException("search is " + status);
        }
        move(SearchStatus.RUNNING);
        return status;
    }

    private void move(SearchStatus s) {
        status = s;
        statuses.add(s);
    }

    @Override
    public synchronized void warmStarted(long searchId, List<ScoredCandidate> ranked, ControllerState s) {
        warmStart = ranked;
        keep(s);
    }

    private void keep(ControllerState s) {
        if (s == null) {
            return;
        }
        state = ControllerState.fromJson(s.toJson());
        states++;
    }

    @Override
    public synchronized long trialStarted(long searchId, int number, String arch, String canonical, Cost cost,
            ControllerState s) {
        Trial t = new Trial();
        t.id = 100 + number;
        t.number = number;
        t.arch = arch;
        t.canonical = canonical;
        t.cost = cost;
        if (trials.stream().anyMatch(o -> o.arch.equals(arch))) {
            throw new IllegalStateException("unique constraint: " + arch + " stored twice");
        }
        trials.add(t);
        keep(s);
        return t.id;
    }

    synchronized Trial trial(long id) {
        return trials.stream().filter(t -> t.id == id).findFirst().orElseThrow();
    }

    @Override
    public synchronized void epochFinished(long trialId, EpochRecord epoch) {
        trial(trialId).epochs.add(epoch);
    }

    @Override
    public synchronized boolean trialFinished(long trialId, TrialResult result, ControllerState s) {
        Trial t = trial(trialId);
        if (t.number == failStoringTrial) {
            throw new IllegalStateException("disk full");
        }
        if (t.status != TrialStatus.RUNNING) {
            return false;
        }
        t.status = result.status();
        t.seconds = result.seconds();
        t.accuracy = result.status() == TrialStatus.FAILED ? null : result.validationAccuracy();
        t.failure = result.failure().orElse(null);
        t.checkpoint = result.checkpoint().isPresent();
        if (s != null) {
            t.told = true;
            keep(s);
        }
        return true;
    }

    @Override
    public synchronized void finalistTrained(long trialId, TrialResult result, ControllerState s) {
        Trial t = trial(trialId);
        t.status = result.status();
        t.accuracy = result.status() == TrialStatus.FAILED ? null : result.validationAccuracy();
        t.failure = result.failure().orElse(null);
        t.checkpoint = result.checkpoint().isPresent();
        keep(s);
    }

    @Override
    public synchronized void trialEstimated(long trialId, double estimate, double seconds, ControllerState s) {
        Trial t = trial(trialId);
        t.status = TrialStatus.SUCCEEDED;
        t.told = true;
        t.estimate = estimate;
        if (s != null) {
            keep(s);
        }
    }

    @Override
    public synchronized void supernetEpoch(long searchId, SupernetEpoch epoch) {
        supernetEpochs.add(epoch);
    }

    @Override
    public synchronized void checkpoint(long searchId, int epoch, byte[] bytes, ControllerState controller, int keep) {
        checkpoints.add(new SupernetCheckpoint(epoch, bytes.clone(), Optional.ofNullable(controller)
                .map(c -> ControllerState.fromJson(c.toJson()))));
        while (checkpoints.size() > keep) {
            checkpoints.remove(0);
        }
    }

    @Override
    public synchronized Optional<SupernetCheckpoint> latestCheckpoint(long searchId) {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }

    @Override
    public synchronized void resumed(long searchId, int fromEpoch) {
        if (status != SearchStatus.INTERRUPTED && status != SearchStatus.RUNNING) {
            throw new ConflictException("search is " + status);
        }
        trials.clear();
        retrains.clear();
        supernetEpochs.removeIf(e -> e.epoch() > fromEpoch);
        move(SearchStatus.RUNNING);
    }

    @Override
    public synchronized void trialFailed(long trialId, String reason) {
        Trial t = trial(trialId);
        t.status = TrialStatus.FAILED;
        t.failure = reason;
    }

    @Override
    public synchronized SearchStatus retraining(long searchId) {
        meanwhile.accept("retraining");
        if (status == SearchStatus.PAUSED || status == SearchStatus.INTERRUPTED) {
            return status;
        }
        move(SearchStatus.RETRAINING);
        return status;
    }

    @Override
    public synchronized long retrainStarted(long searchId, int trialNumber, String arch, Cost cost, int epochs) {
        Retrain r = new Retrain();
        r.trialNumber = trialNumber;
        r.arch = arch;
        r.epochs = epochs;
        retrains.add(r);
        return retrains.size();
    }

    @Override
    public synchronized void retrainReplanned(long retrainId, int epochs) {
        retrains.get((int) retrainId - 1).epochs = epochs;
    }

    @Override
    public synchronized void retrainFinished(long retrainId, RetrainResult result) {
        retrains.get((int) retrainId - 1).result = result;
    }

    @Override
    public synchronized SearchStatus finished(long searchId, SearchStatus s, String e) {
        meanwhile.accept("finished");
        if (!status.live() && status != SearchStatus.PAUSED
                || status == SearchStatus.PAUSED && s == SearchStatus.SUCCEEDED) {
            return status;
        }
        move(s);
        error = e;
        for (Trial t : trials) {
            if (t.status == TrialStatus.RUNNING) {
                t.status = TrialStatus.FAILED;
                t.failure = e;
            }
        }
        return status;
    }
}
