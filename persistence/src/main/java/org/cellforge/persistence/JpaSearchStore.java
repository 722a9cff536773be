package org.cellforge.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.engine.ConflictException;
import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.EpochRecord;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.RetrainResult;
import org.cellforge.engine.ScoredCandidate;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.SearchStore;
import org.cellforge.engine.StoredSearch;
import org.cellforge.engine.StoredTrial;
import org.cellforge.engine.SupernetCheckpoint;
import org.cellforge.engine.SupernetEpoch;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.TrialStatus;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.WeightSharing;
import org.cellforge.space.json.Json;
import org.hibernate.Hibernate;

/** The engine's store in PostgreSQL: each method one transaction. */
public final class JpaSearchStore implements SearchStore {

    private final Transactions tx;

    public JpaSearchStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public long create(SearchRequest r, DatasetInfo dataset) {
        return create(r, dataset, null);
    }

    @Override
    public long createReserved(SearchRequest r, DatasetInfo dataset, java.time.Duration reservedFor) {
        return create(r, dataset, Instant.now().plus(reservedFor));
    }

    private long create(SearchRequest r, DatasetInfo dataset, Instant reservedUntil) {
        SearchEntity s = new SearchEntity();
        s.reservedUntil = reservedUntil;
        s.space = r.space();
        s.controller = r.controller();
        s.controllerOptions = Json.write(new LinkedHashMap<>(r.options()));
        s.trialBudget = r.trials();
        s.epochsPerTrial = r.epochs();
        s.seed = r.seed();
        s.channels = r.channels();
        s.cellsPerStage = r.cellsPerStage();
        s.batchSize = r.batchSize();
        s.trainSize = r.trainSize();
        s.validationSize = r.validationSize();
        s.splitSeed = r.splitSeed();
        s.dataset = r.dataset();
        s.datasetFingerprint = dataset.fingerprint();
        s.inputChannels = dataset.channels();
        s.imageHeight = dataset.height();
        s.imageWidth = dataset.width();
        s.classes = dataset.classes();
        s.optimizer = r.optimizer();
        s.learningRate = r.learningRate();
        s.augmentation = r.augmentation();
        s.threads = r.threads();
        s.warmStart = r.warmStart();
        s.earlyStopping = Json.write(new LinkedHashMap<>(r.earlyStopping()));
        s.retrainEpochs = r.retrainEpochs();
        s.retrain = r.retrain();
        s.parallelTrials = r.parallelTrials();
        s.mode = r.mode();
        s.supernet = Json.write(new LinkedHashMap<>(r.supernet()));
        s.retraining = Json.write(new LinkedHashMap<>(r.retraining()));
        s.recipe = r.recipe().isEmpty() ? null : Json.write(new LinkedHashMap<>(r.recipe()));
        s.status = SearchStatus.QUEUED;
        s.createdAt = Instant.now();
        return tx.call(em -> new SearchRepository(em).persist(s).id);
    }

    /** The request a stored search was made from. */
    public static SearchRequest request(SearchEntity s) {
        return SearchRequest.builder()
                .space(s.space)
                .controller(s.controller)
                .options(object(s.controllerOptions))
                .trials(s.trialBudget)
                .epochs(s.epochsPerTrial)
                .seed(s.seed)
                .channels(s.channels)
                .cellsPerStage(s.cellsPerStage)
                .batchSize(s.batchSize)
                .trainSize(s.trainSize)
                .validationSize(s.validationSize)
                .dataset(s.dataset)
                .optimizer(s.optimizer)
                .learningRate(s.learningRate)
                .augmentation(s.augmentation)
                .threads(s.threads)
                .splitSeed(s.splitSeed)
                .warmStart(s.warmStart)
                .earlyStopping(object(s.earlyStopping))
                .retrainEpochs(s.retrainEpochs)
                .retrain(s.retrain)
                .parallelTrials(s.parallelTrials)
                .mode(s.mode)
                // Searches stored before weight sharing existed hold '{}': read with the defaults they ran with.
                .supernet(WeightSharing.normalize(object(s.supernet)))
                .retraining(Retraining.normalize(object(s.retraining)))
                .recipe(object(s.recipe))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return json == null ? Map.of() : (Map<String, Object>) Json.parse(json);
    }

    @Override
    public StoredSearch load(long id) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
            Map<Long, List<TrialEpochEntity>> epochs = repo.epochs(id).stream().collect(Collectors.groupingBy(
                    e -> e.trialId));
            List<StoredTrial> trials = new ArrayList<>();
            for (TrialEntity t : repo.trials(id)) {
                trials.add(stored(t, epochs.getOrDefault(t.id, List.of())));
            }
            return new StoredSearch(s.id, request(s), s.status,
                    Optional.ofNullable(s.controllerState).map(ControllerState::fromJson), trials);
        });
    }

    /** A trial as the engine reads it, with its validation curve and throughput from its epochs in order. */
    private static StoredTrial stored(TrialEntity t, List<TrialEpochEntity> epochs) {
        return new StoredTrial(t.id, t.number, t.arch, t.canonical, t.status, t.validationAccuracy,
                new Cost(t.parameters == null ? 0 : t.parameters, t.flops == null ? 0 : t.flops),
                epochs.stream().map(e -> e.validationAccuracy).toList(), Optional.ofNullable(t.failure),
                t.seconds == null ? 0 : t.seconds, t.told, strings(t.repeats),
                StoredTrial.medianThroughput(epochs.stream().map(e -> e.imagesPerSecond).toList()));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String json) {
        return json == null ? List.of() : ((List<Object>) Json.parse(json)).stream().map(String::valueOf).toList();
    }

    @Override
    public SearchStatus status(long searchId) {
        return tx.call(em -> new SearchRepository(em).status(searchId))
                .orElseThrow(() -> new NotFoundException("no search with id " + searchId));
    }

    @Override
    public Optional<TrialClaim> claimTrial(long trialId, String worker) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            // Locked, so that two deliveries of one trial never both count as its latest attempt.
            Optional<TrialEntity> found = repo.findTrialForUpdate(trialId);
            if (found.isEmpty() || found.get().status != TrialStatus.RUNNING) {
                return Optional.empty();
            }
            TrialEntity t = found.get();
            SearchEntity s = Hibernate.unproxy(t.search, SearchEntity.class);
            if (!s.status.live() && s.status != SearchStatus.PAUSED) {
                return Optional.empty();
            }
            repo.forgetAttempt(trialId);
            t.attempts++;
            t.worker = worker;
            t.claimedAt = Instant.now();
            return Optional.of(new TrialClaim(s.id, t.id, t.number, t.arch, t.attempts));
        });
    }

    @Override
    public void trialRepeated(long trialId, String arch, ControllerState state) {
        String snapshot = state.toJson();
        tx.run(em -> {
            TrialEntity t = new SearchRepository(em).findTrial(trialId)
                    .orElseThrow(() -> new NotFoundException("no trial " + trialId));
            List<String> repeats = new ArrayList<>(strings(t.repeats));
            repeats.add(arch);
            t.repeats = Json.write(repeats);
            searchOf(new SearchRepository(em), t).controllerState = snapshot;
        });
    }

    @Override
    public void trialTold(long trialId, ControllerState state) {
        String snapshot = state == null ? null : state.toJson();
        tx.run(em -> {
            TrialEntity t = new SearchRepository(em).findTrial(trialId)
                    .orElseThrow(() -> new NotFoundException("no trial " + trialId));
            t.told = true;
            t.toldAt = Instant.now();
            if (snapshot != null) {
                searchOf(new SearchRepository(em), t).controllerState = snapshot;
            }
        });
    }

    @Override
    public List<StoredTrial> untold(long searchId) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            List<StoredTrial> out = new ArrayList<>();
            for (TrialEntity t : repo.untold(searchId)) {
                out.add(stored(t, repo.trialEpochs(t.id)));
            }
            return out;
        });
    }

    @Override
    public List<Long> live() {
        return tx.call(em -> new SearchRepository(em).live());
    }

    @Override
    public void paused(long searchId) {
        tx.run(em -> {
            SearchEntity s = search(new SearchRepository(em), searchId);
            if (s.status != SearchStatus.QUEUED && s.status != SearchStatus.RUNNING) {
                throw new ConflictException("search " + searchId + " is " + s.status + "; only a QUEUED or RUNNING "
                        + "search can be paused");
            }
            s.status = SearchStatus.PAUSED;
        });
    }

    @Override
    public void unpaused(long searchId) {
        tx.run(em -> {
            SearchEntity s = search(new SearchRepository(em), searchId);
            if (s.status != SearchStatus.PAUSED) {
                throw new ConflictException("search " + searchId + " is " + s.status + "; only a PAUSED search can "
                        + "be resumed this way");
            }
            s.status = s.startedAt == null ? SearchStatus.QUEUED : SearchStatus.RUNNING;
        });
    }

    @Override
    public void cancelled(long searchId) {
        tx.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = search(repo, searchId);
            if (!s.status.live() && s.status != SearchStatus.PAUSED) {
                throw new ConflictException("search " + searchId + " is " + s.status + "; only a QUEUED, RUNNING, "
                        + "PAUSED or RETRAINING search can be cancelled");
            }
            s.status = SearchStatus.INTERRUPTED;
            s.error = CANCELLED;
            s.finishedAt = Instant.now();
            repo.failRunning(searchId, CANCELLED);
        });
    }

    @Override
    public List<Long> resumedFromSnapshot(long searchId) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = search(repo, searchId);
            if (s.status != SearchStatus.INTERRUPTED) {
                throw new ConflictException("search " + searchId + " is " + s.status + ", not INTERRUPTED");
            }
            s.status = SearchStatus.RUNNING;
            s.error = null;
            s.finishedAt = null;
            if (s.startedAt == null) {
                s.startedAt = Instant.now();
            }
            return repo.rerunCancelled(searchId, CANCELLED);
        });
    }

    @Override
    public java.util.Set<Integer> restartRetraining(long searchId) {
        return tx.call(em -> new SearchRepository(em).restartRetraining(searchId));
    }

    @Override
    public SearchStatus started(long searchId) {
        return tx.call(em -> {
            SearchEntity s = search(new SearchRepository(em), searchId);
            if (s.status == SearchStatus.PAUSED || s.status == SearchStatus.INTERRUPTED) {
                // Paused or cancelled while queued, just as a coordinator took it up: that stands.
                return s.status;
            }
            if (s.status != SearchStatus.QUEUED) {
                throw new ConflictException("search " + searchId + " is " + s.status + ", not QUEUED");
            }
            s.status = SearchStatus.RUNNING;
            s.startedAt = Instant.now();
            return s.status;
        });
    }

    /** The search, locked for the rest of the transaction: other processes change it too. */
    private static SearchEntity search(SearchRepository repo, long id) {
        // Unproxied: with the trial loaded, the context may hold the search as a lazy proxy, and a field written
        // on a proxy never reaches the entity.
        return Hibernate.unproxy(repo.lock(id).orElseThrow(() -> new NotFoundException("no search with id " + id)),
                SearchEntity.class);
    }

    /** The search of a trial, locked for the rest of the transaction. */
    private static SearchEntity searchOf(SearchRepository repo, TrialEntity t) {
        // By id, not through the lazy reference: loading it unlocked first would make the lock a version check.
        return search(repo, repo.searchIdOf(t.id));
    }

    @Override
    public void warmStarted(long searchId, List<ScoredCandidate> ranked, ControllerState state) {
        List<Object> rows = new ArrayList<>();
        for (ScoredCandidate c : ranked) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("arch", c.arch());
            // JSON has no infinities: a degenerate network's score is written as null.
            row.put("score", Double.isFinite(c.score()) ? c.score() : null);
            rows.add(row);
        }
        String json = Json.write(rows);
        tx.run(em -> {
            SearchEntity s = search(new SearchRepository(em), searchId);
            s.warmStartScores = json;
            s.controllerState = state.toJson();
        });
    }

    @Override
    public long trialStarted(long searchId, int number, String arch, String canonical, Cost cost,
            ControllerState state) {
        String snapshot = state == null ? null : state.toJson();
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = search(repo, searchId);
            if (snapshot != null) {
                s.controllerState = snapshot;
            }
            TrialEntity t = new TrialEntity();
            t.search = s;
            t.number = number;
            t.arch = arch;
            t.canonical = canonical;
            t.parameters = cost.parameters();
            t.flops = cost.flops();
            t.status = TrialStatus.RUNNING;
            t.createdAt = Instant.now();
            return repo.persistTrial(t).id;
        });
    }

    @Override
    public void epochFinished(long trialId, EpochRecord m) {
        TrialEpochEntity e = new TrialEpochEntity();
        e.trialId = trialId;
        e.epoch = m.epoch();
        e.trainLoss = m.trainLoss();
        e.trainAccuracy = m.trainAccuracy();
        e.validationAccuracy = m.validationAccuracy();
        e.seconds = m.seconds();
        e.imagesPerSecond = m.imagesPerSecond();
        tx.run(em -> new SearchRepository(em).persistEpoch(e));
    }

    @Override
    public boolean trialFinished(long trialId, TrialResult result, ControllerState state) {
        String snapshot = state == null ? null : state.toJson();
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            TrialEntity t = repo.findTrialForUpdate(trialId)
                    .orElseThrow(() -> new NotFoundException("no trial " + trialId));
            if (t.status != TrialStatus.RUNNING) {
                return false;
            }
            store(repo, t, result, snapshot);
            return true;
        });
    }

    @Override
    public void finalistTrained(long trialId, TrialResult result, ControllerState state) {
        String snapshot = state == null ? null : state.toJson();
        tx.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            store(repo, repo.findTrialForUpdate(trialId).orElseThrow(() -> new NotFoundException("no trial "
                    + trialId)), result, snapshot);
        });
    }

    /** Stores how a trial's stand-alone training ended, and the controller state that was told, if any. */
    private static void store(SearchRepository repo, TrialEntity t, TrialResult result, String snapshot) {
        long trialId = t.id;
        result.checkpoint().ifPresent(model -> {
            TrialCheckpointEntity c = new TrialCheckpointEntity();
            c.trialId = trialId;
            c.format = "onnx";
            c.model = model;
            c.createdAt = Instant.now();
            repo.persistCheckpoint(c);
        });
        t.status = result.status();
        t.validationAccuracy = result.status() == TrialStatus.FAILED ? null : result.validationAccuracy();
        t.epochs = result.epochs();
        t.seconds = result.seconds();
        t.failure = result.failure().orElse(null);
        t.finishedAt = Instant.now();
        if (snapshot != null) {
            searchOf(repo, t).controllerState = snapshot;
            t.told = true;
            t.toldAt = Instant.now();
        }
    }

    @Override
    public void trialEstimated(long trialId, double estimate, double seconds, ControllerState state) {
        String snapshot = state == null ? null : state.toJson();
        tx.run(em -> {
            TrialEntity t = new SearchRepository(em).findTrial(trialId)
                    .orElseThrow(() -> new NotFoundException("no trial " + trialId));
            t.status = TrialStatus.SUCCEEDED;
            t.told = true;
            t.toldAt = Instant.now();
            t.supernetEstimate = estimate;
            t.epochs = 0;
            t.seconds = seconds;
            t.finishedAt = Instant.now();
            if (snapshot != null) {
                searchOf(new SearchRepository(em), t).controllerState = snapshot;
            }
        });
    }

    @Override
    public void supernetEpoch(long searchId, SupernetEpoch e) {
        EpochRecord m = e.metrics();
        String alpha = e.alpha().map(JpaSearchStore::alphaJson).orElse(null);
        SearchRepository.SupernetEpochRow row = new SearchRepository.SupernetEpochRow(e.epoch(), e.epochs(),
                finite(m.trainLoss()), finite(m.trainAccuracy()), finite(m.validationAccuracy()), finite(m.seconds()),
                finite(m.imagesPerSecond()), alpha);
        tx.run(em -> new SearchRepository(em).persistSupernetEpoch(searchId, row));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The architecture weights as JSON: a list of {cell, ops, weights} with weights[edge][op]. */
    private static String alphaJson(List<SupernetEpoch.CellWeights> cells) {
        List<Object> out = new ArrayList<>();
        for (SupernetEpoch.CellWeights c : cells) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("cell", c.cell());
            cell.put("ops", c.ops());
            List<Object> rows = new ArrayList<>();
            for (double[] edge : c.weights()) {
                List<Object> row = new ArrayList<>();
                for (double w : edge) {
                    row.add(w);
                }
                rows.add(row);
            }
            cell.put("weights", rows);
            out.add(cell);
        }
        return Json.write(out);
    }

    @Override
    public void checkpoint(long searchId, int epoch, byte[] state, ControllerState controller, int keep) {
        String json = controller == null ? null : controller.toJson();
        tx.run(em -> new SearchRepository(em).persistSupernetCheckpoint(searchId, epoch, state, json, keep));
    }

    @Override
    public Optional<SupernetCheckpoint> latestCheckpoint(long searchId) {
        return tx.call(em -> new SearchRepository(em).latestSupernetCheckpoint(searchId).map(r ->
                new SupernetCheckpoint(((Number) r[0]).intValue(), (byte[]) r[1],
                        Optional.ofNullable((String) r[2]).map(ControllerState::fromJson))));
    }

    @Override
    public void resumed(long searchId, int fromEpoch) {
        tx.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = search(repo, searchId);
            if (s.status != SearchStatus.INTERRUPTED && s.status != SearchStatus.RUNNING
                    && s.status != SearchStatus.RETRAINING) {
                throw new ConflictException("search " + searchId + " is " + s.status + ", not INTERRUPTED");
            }
            repo.forgetAfter(searchId, fromEpoch);
            s.status = SearchStatus.RUNNING;
            s.error = null;
            s.finishedAt = null;
        });
    }

    @Override
    public void trialFailed(long trialId, String reason) {
        tx.run(em -> new SearchRepository(em).findTrial(trialId).ifPresent(t -> {
            t.status = TrialStatus.FAILED;
            t.failure = reason;
            t.finishedAt = Instant.now();
        }));
    }

    @Override
    public SearchStatus retraining(long searchId) {
        return tx.call(em -> {
            SearchEntity s = search(new SearchRepository(em), searchId);
            if (s.status != SearchStatus.PAUSED && s.status != SearchStatus.INTERRUPTED) {
                s.status = SearchStatus.RETRAINING;
            }
            return s.status;
        });
    }

    @Override
    public long retrainStarted(long searchId, int trialNumber, String arch, Cost cost, int epochs) {
        RetrainEntity r = new RetrainEntity();
        r.searchId = searchId;
        r.trialNumber = trialNumber;
        r.arch = arch;
        r.status = TrialStatus.RUNNING;
        r.epochs = epochs;
        r.parameters = cost.parameters();
        r.flops = cost.flops();
        r.createdAt = Instant.now();
        return tx.call(em -> new SearchRepository(em).persistRetrain(r).id);
    }

    @Override
    public void retrainReplanned(long retrainId, int epochs) {
        tx.run(em -> new SearchRepository(em).findRetrain(retrainId).orElseThrow(() -> new NotFoundException(
                "no retrain " + retrainId)).epochs = epochs);
    }

    @Override
    public void retrainFinished(long retrainId, RetrainResult result) {
        tx.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            RetrainEntity r = repo.findRetrain(retrainId).orElseThrow(() -> new NotFoundException("no retrain "
                    + retrainId));
            result.checkpoint().ifPresent(model -> {
                RetrainCheckpointEntity c = new RetrainCheckpointEntity();
                c.retrainId = retrainId;
                c.format = "onnx";
                c.model = model;
                c.createdAt = Instant.now();
                repo.persistRetrainCheckpoint(c);
            });
            r.status = result.succeeded() ? TrialStatus.SUCCEEDED : TrialStatus.FAILED;
            r.testAccuracy = result.succeeded() ? result.testAccuracy() : null;
            r.trainImages = result.trainImages();
            r.testImages = result.testImages();
            r.seconds = result.seconds();
            r.failure = result.failure().orElse(null);
            r.finishedAt = Instant.now();
        });
    }

    @Override
    public SearchStatus finished(long searchId, SearchStatus status, String error) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = search(repo, searchId);
            if (!s.status.live() && s.status != SearchStatus.PAUSED
                    || s.status == SearchStatus.PAUSED && status == SearchStatus.SUCCEEDED) {
                // Ended already, by a cancellation from another process: that end stands. Paused after its
                // last result: the pause the user was answered holds until a resume ends it.
                return s.status;
            }
            s.status = status;
            s.error = error;
            s.finishedAt = Instant.now();
            repo.failRunning(searchId, error != null ? error : "the search ended while it ran");
            return s.status;
        });
    }
}
