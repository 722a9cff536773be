package org.cellforge.web.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.cellforge.evaluator.EpochMetrics;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.DatasetException;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.SearchStatus;
import org.cellforge.persistence.TrialCheckpointEntity;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.persistence.TrialEpochEntity;
import org.cellforge.persistence.TrialStatus;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Searches and their trials: every state change is one transaction, so what is stored is never
 * half-written, and a search's status only changes here.
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    /** Seed of the train/validation permutation; fixed so all searches compare on the same split. */
    public static final long SPLIT_SEED = 0;

    @Inject
    SearchRepository repository;

    @Inject
    SearchRunner runner;

    @Inject
    DatasetProvider datasets;

    // One search at a time: trials already use every core through ND4J's native threads.
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cellforge-search");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        int interrupted = interruptUnfinished();
        if (interrupted > 0) {
            LOG.infof("marked %d search(es) left unfinished by an earlier process as INTERRUPTED", interrupted);
        }
    }

    @Transactional
    int interruptUnfinished() {
        return repository.interruptUnfinished("the process running it stopped before it finished");
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Validates and stores a search, then runs it in the background. */
    public SearchInfo submit(SearchRequest request) {
        long id = create(request);
        executor.submit(() -> runner.run(id, SearchProgress.none()));
        return get(id);
    }

    /** Validates and stores a search, then runs it on the calling thread to the end. */
    public SearchInfo runNow(SearchRequest request, SearchProgress progress) {
        long id = create(request);
        runner.run(id, progress);
        return get(id);
    }

    /** Validates and stores a new search in QUEUED state. */
    @Transactional
    public long create(SearchRequest request) {
        if (request == null) {
            throw new InvalidRequestException(List.of(new SearchRequest.Violation("body",
                    "a JSON object describing the search is required")));
        }
        List<SearchRequest.Violation> violations = request.validate();
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        SearchRequest r = request.withDefaults();
        checkDataset(r);
        SearchEntity s = new SearchEntity();
        s.space = r.space();
        s.controller = r.controller();
        s.trialBudget = r.trials();
        s.epochsPerTrial = r.epochs();
        s.seed = r.seed();
        s.channels = r.channels();
        s.cellsPerStage = r.cellsPerStage();
        s.batchSize = r.batchSize();
        s.trainSize = r.trainSize();
        s.validationSize = r.validationSize();
        s.splitSeed = SPLIT_SEED;
        s.dataset = r.dataset();
        s.optimizer = r.optimizer();
        s.learningRate = r.learningRate();
        s.augmentation = r.augmentation();
        s.threads = r.threads();
        s.status = SearchStatus.QUEUED;
        s.createdAt = Instant.now();
        return repository.persist(s).id;
    }

    /** Reads the request's dataset now, so a missing or malformed file or too large a split is a 400, not a failed search. */
    private void checkDataset(SearchRequest r) {
        ImageSet train;
        try {
            train = datasets.train(r.dataset());
        } catch (DatasetException e) {
            throw new InvalidRequestException(List.of(new SearchRequest.Violation("dataset", e.getMessage())));
        }
        if ((long) r.trainSize() + r.validationSize() > train.size()) {
            throw new InvalidRequestException(List.of(new SearchRequest.Violation("validationSize",
                    "trainSize + validationSize must not exceed the " + train.size() + " training images of "
                            + r.dataset() + ", got " + (r.trainSize() + r.validationSize()))));
        }
    }

    /** A search with its trials and their epochs. */
    @Transactional
    public SearchInfo get(long id) {
        SearchEntity s = repository.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
        Map<Long, List<TrialEpochEntity>> epochs = repository.epochs(id).stream()
                .collect(Collectors.groupingBy(e -> e.trialId));
        List<TrialInfo> trials = repository.trials(id).stream()
                .map(t -> TrialInfo.of(t, epochs.getOrDefault(t.id, List.of()))).toList();
        return SearchInfo.of(s, finished(trials), best(trials), trials);
    }

    /** Searches, newest first, without their trials. */
    @Transactional
    public List<SearchInfo> list(int offset, int limit) {
        return repository.list(offset, limit).stream().map(s -> {
            List<TrialInfo> trials = repository.trials(s.id).stream().map(TrialInfo::of).toList();
            return SearchInfo.of(s, finished(trials), best(trials), null);
        }).toList();
    }

    /**
     * The trained network of the best trial as an ONNX model.
     *
     * @throws ConflictException if the search has no successful trial or kept no checkpoint for it
     */
    @Transactional
    public byte[] bestOnnx(long id) {
        repository.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
        TrialEntity best = repository.best(id).orElseThrow(() -> new ConflictException(
                "search " + id + " has no successful trial yet"));
        return repository.checkpoint(best.id).map(c -> c.model).orElseThrow(() -> new ConflictException(
                "trial " + best.number + " of search " + id + " has no stored checkpoint (it was trained before"
                        + " checkpoints were kept)"));
    }

    /** The best trial's genotype with its provenance. */
    @Transactional
    public GenotypeExport exportBest(long id) {
        SearchEntity s = repository.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
        TrialEntity best = repository.best(id).orElseThrow(() -> new ConflictException(
                "search " + id + " has no successful trial yet (status " + s.status + ")"));
        Nb201Space space = Nb201Space.standard();
        Nb201Cell cell = space.parse(best.arch);
        ImageSet images = datasets.train(s.dataset);
        Nb201Macro macro = new Nb201Macro(s.channels, s.cellsPerStage, images.channels(), images.classes());
        return new GenotypeExport(GenotypeExport.FORMAT, GenotypeExport.VERSION, s.space, best.arch,
                space.canonical(cell).hash(), GenotypeExport.edges(cell), macro, s.dataset, best.validationAccuracy,
                "stand-alone training, validation split", best.parameters,
                macro.flops(OpRegistry.builtIn(), cell, images.height(), images.width()), s.id, best.number,
                s.seed, s.epochsPerTrial);
    }

    /** Moves a queued search to RUNNING and returns it. */
    @Transactional
    public SearchEntity markRunning(long id) {
        SearchEntity s = repository.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
        if (s.status != SearchStatus.QUEUED) {
            throw new ConflictException("search " + id + " is " + s.status + ", not QUEUED");
        }
        s.status = SearchStatus.RUNNING;
        s.startedAt = Instant.now();
        return s;
    }

    /** Stores a trial that is about to be trained. */
    @Transactional
    public long startTrial(long searchId, int number, String arch) {
        TrialEntity t = new TrialEntity();
        t.search = repository.find(searchId).orElseThrow();
        t.number = number;
        t.arch = arch;
        t.status = TrialStatus.RUNNING;
        t.createdAt = Instant.now();
        return repository.persistTrial(t).id;
    }

    /** Stores the metrics of an epoch as soon as it ends, so the dashboard and REST show them live. */
    @Transactional
    public void recordEpoch(long trialId, EpochMetrics m) {
        TrialEpochEntity e = new TrialEpochEntity();
        e.trialId = trialId;
        e.epoch = m.epoch();
        e.trainLoss = m.trainLoss();
        e.trainAccuracy = m.trainAccuracy();
        e.validationAccuracy = m.validationAccuracy();
        e.seconds = m.seconds();
        e.imagesPerSecond = m.imagesPerSecond();
        repository.persistEpoch(e);
    }

    /**
     * Stores the outcome of a trial and, for a successful one, its trained network, in one
     * transaction: a trial is never marked done without the checkpoint it was given.
     */
    @Transactional
    public TrialInfo finishTrial(long trialId, TrainingResult result, Optional<byte[]> onnx) {
        TrialEntity t = repository.findTrial(trialId).orElseThrow();
        onnx.ifPresent(model -> {
            TrialCheckpointEntity c = new TrialCheckpointEntity();
            c.trialId = trialId;
            c.format = "onnx";
            c.model = model;
            c.createdAt = Instant.now();
            repository.persistCheckpoint(c);
        });
        t.status = result.succeeded() ? TrialStatus.SUCCEEDED : TrialStatus.FAILED;
        t.validationAccuracy = result.succeeded() ? result.validationAccuracy() : null;
        t.parameters = result.parameters();
        t.seconds = result.seconds();
        t.failure = result.failure().orElse(null);
        t.finishedAt = Instant.now();
        return TrialInfo.of(t);
    }

    /** Ends a search. */
    @Transactional
    public void finish(long id, SearchStatus status, String error) {
        SearchEntity s = repository.find(id).orElseThrow();
        s.status = status;
        s.error = error;
        s.finishedAt = Instant.now();
    }

    private static int finished(List<TrialInfo> trials) {
        return (int) trials.stream().filter(t -> !TrialStatus.RUNNING.name().equals(t.status())).count();
    }

    private static TrialInfo best(List<TrialInfo> trials) {
        Optional<TrialInfo> best = trials.stream()
                .filter(t -> t.validationAccuracy() != null)
                .reduce((a, b) -> b.validationAccuracy() > a.validationAccuracy() ? b : a);
        return best.orElse(null);
    }
}
