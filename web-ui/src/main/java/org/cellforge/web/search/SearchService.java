package org.cellforge.web.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cellforge.controller.Cost;
import org.cellforge.controller.Objectives;
import org.cellforge.controller.Observation;
import org.cellforge.controller.ParetoFront;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;
import org.cellforge.runner.Exports;
import org.cellforge.runner.jobs.Coordinator;
import org.cellforge.runner.jobs.JobRunrTrials;
import org.cellforge.runner.jobs.SearchLocks;
import org.cellforge.space.Architecture;
import org.cellforge.space.json.Json;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Searches for REST and the dashboard: submitted through the runner (validated like the command
 * line's), coordinated by this or another server process, trained by the workers of any process on
 * the same database, and read back from it.
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    @Inject
    QuarkusTransactions tx;

    @ConfigProperty(name = "cellforge.dataset.fashion-mnist")
    Optional<String> fashionMnistDirectory;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    DatasetRoots datasetRoots;

    /** Trials this process trains at once; 0 leaves training to 'cellforge worker' processes. */
    @ConfigProperty(name = "cellforge.workers", defaultValue = "1")
    int workers;

    /** How often this process looks for searches that need a coordinator. */
    @ConfigProperty(name = "cellforge.coordinator.scan", defaultValue = "2s")
    java.time.Duration scan;

    /** Megabytes of dataset images kept loaded between searches. */
    @ConfigProperty(name = "cellforge.dataset.cache-mb")
    long datasetCacheMb;

    /** How many of a search's best trials keep their checkpoints. */
    @ConfigProperty(name = "cellforge.checkpoints.keep-best", defaultValue = "5")
    int keepBest;

    /** Whether a search's other checkpoints are removed when it ends (otherwise only on request). */
    @ConfigProperty(name = "cellforge.checkpoints.prune-when-ended", defaultValue = "true")
    boolean pruneWhenEnded;

    private Cellforge cellforge;
    private SearchLocks locks;

    /** How many of a search's best trials keep their checkpoints when a prune names no number. */
    public int keepBest() {
        return keepBest;
    }
    private JobRunrTrials trials;
    private Coordinator coordinator;

    /** Later retrainings of ended searches: one at a time, beside the searches. */
    private final ExecutorService retrainings = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cellforge-retrain");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        cellforge = Cellforge.of(tx, Datasets.of(fashionMnistDirectory.filter(s -> !s.isBlank())
                .map(java.nio.file.Path::of), Math.multiplyExact(datasetCacheMb, 1L << 20)), pruneWhenEnded
                ? org.cellforge.runner.CheckpointRetention.keepBest(tx, keepBest) : SearchListener.none());
        locks = new SearchLocks(dataSource);
        trials = JobRunrTrials.on(dataSource);
        if (workers > 0) {
            trials.startWorker(workers, cellforge.worker(), cellforge::checkDataset,
                    org.cellforge.engine.TrialWorker.processName() + " (server)");
        }
        // Searches left RUNNING by a process that stopped are taken over from their stored state; other
        // processes' live searches hold their locks and are left alone.
        coordinator = Coordinator.start(cellforge.engine(), cellforge.store(), locks, trials, scan);
        LOG.infof("coordinating searches; training %d trial(s) at once in this process", workers);
    }

    @PreDestroy
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
        if (trials != null) {
            trials.close();
        }
        retrainings.shutdownNow();
    }

    /**
     * Validates and stores a search, which a coordinator then takes up; answers its state as stored,
     * QUEUED, read before the coordinator can change it.
     */
    public SearchInfo submit(SearchRequest request) {
        datasetRoots.check(request);
        long id = cellforge.submit(request);
        SearchInfo created = get(id);
        coordinator.wake();
        return created;
    }

    /**
     * Checks, then retrains in the background, trials {@code numbers} of an ended search (the Pareto
     * front members a user picks); answers the search as it stands before the retraining starts.
     *
     * @throws org.cellforge.engine.ConflictException if another process works on the search
     */
    public SearchInfo retrain(long id, List<Integer> numbers, int epochs) {
        cellforge.checkRetrain(id, numbers, epochs);
        // Held while it retrains, so that no coordinator takes the RETRAINING search for one left behind.
        SearchLocks.Lock lock = locks.tryLock(id).orElseThrow(() -> new org.cellforge.engine.ConflictException(
                "search " + id + " is being worked on by another process"));
        SearchInfo before = get(id);
        try {
            retrainings.execute(() -> {
                try (lock) {
                    cellforge.retrain(id, numbers, epochs, SearchListener.none());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "retraining trials of search %d could not run", id);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            lock.close();
            throw e;
        }
        return before;
    }

    /**
     * Resumes a search: a PAUSED one proposes again; an INTERRUPTED one continues, a weight-sharing or
     * darts search from its newest supernet checkpoint, any other from its controller's stored state with
     * the trials the stop cut short trained again. Answers the search as it stands once resumed.
     *
     * @throws org.cellforge.engine.ConflictException naming why it cannot be resumed
     */
    public SearchInfo resume(long id) {
        if (cellforge.store().status(id) == org.cellforge.engine.SearchStatus.PAUSED) {
            cellforge.store().unpaused(id);
        } else {
            // A search cancelled a moment ago may still have its coordinator winding down, whose last write
            // would end the resumed search again: resume it only once no process holds it.
            try (SearchLocks.Lock held = lockWhenFree(id)) {
                cellforge.prepareResume(id);
            }
        }
        SearchInfo resumed = get(id);
        coordinator.wake();
        return resumed;
    }

    /** How long a resume waits for the coordinator of a cancelled search to let go of it. */
    private static final java.time.Duration LET_GO = java.time.Duration.ofSeconds(30);

    /**
     * The lock of search {@code id}, once its coordinator, if any, has let go of it.
     *
     * @throws org.cellforge.engine.ConflictException if it is still held after {@link #LET_GO}
     */
    private SearchLocks.Lock lockWhenFree(long id) {
        long deadline = System.nanoTime() + LET_GO.toNanos();
        while (true) {
            Optional<SearchLocks.Lock> lock = locks.tryLock(id);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (System.nanoTime() > deadline) {
                throw new org.cellforge.engine.ConflictException("search " + id + " is still being stopped by the "
                        + "process that coordinated it; resume it again in a moment");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.cellforge.engine.ConflictException("search " + id + " was not resumed: interrupted");
            }
        }
    }

    /**
     * Pauses a queued or running search: its coordinator proposes nothing more and lets go of it; trials
     * already with workers finish, and are told to its controller when it resumes.
     *
     * @throws org.cellforge.engine.ConflictException naming why it cannot be paused
     */
    public SearchInfo pause(long id) {
        cellforge.store().paused(id);
        return get(id);
    }

    /**
     * Cancels a search that has not ended, whichever process coordinates it: it ends INTERRUPTED, its
     * running trials FAILED, and workers drop them at their next epoch. It can be resumed.
     *
     * @throws org.cellforge.engine.ConflictException if it has ended
     */
    public SearchInfo cancel(long id) {
        cellforge.store().cancelled(id);
        coordinator.interrupt(id);
        return get(id);
    }

    /**
     * Removes an ended search with everything stored for it, in one transaction.
     *
     * @throws org.cellforge.engine.NotFoundException if there is no such search
     * @throws org.cellforge.engine.ConflictException if it has not ended, or a process works on it
     */
    public void delete(long id) {
        org.cellforge.engine.SearchStatus status = statusOf(id);
        String live = "; only an ended search (SUCCEEDED, FAILED, INTERRUPTED) can be deleted: cancel it first";
        if (!status.ended()) {
            throw new org.cellforge.engine.ConflictException("search " + id + " is " + status + live);
        }
        try (SearchLocks.Lock lock = lockIdle(id)) {
            // Resumed between the look and the lock: the delete itself checks the state again.
            if (!tx.call(em -> new SearchRepository(em).deleteEnded(id))) {
                throw new org.cellforge.engine.ConflictException("search " + id + " is no longer ended" + live);
            }
        }
        LOG.infof("deleted search %d", id);
    }

    private org.cellforge.engine.SearchStatus statusOf(long id) {
        return tx.call(em -> new SearchRepository(em).status(id))
                .orElseThrow(() -> new org.cellforge.engine.NotFoundException("no search " + id));
    }

    /**
     * The search's lock, held by no other process: a retraining of an ended search holds it, and so
     * would a coordinator that just resumed it.
     */
    private SearchLocks.Lock lockIdle(long id) {
        return locks.tryLock(id).orElseThrow(() -> new org.cellforge.engine.ConflictException("search " + id
                + " is being worked on by another process"));
    }

    /**
     * What {@link #pruneCheckpoints} did.
     *
     * @param kept how many of the best trials keep their checkpoints
     * @param removed checkpoints removed
     * @param freedBytes their bytes
     */
    public record Pruned(int kept, long removed, long freedBytes) {
    }

    /**
     * Removes the checkpoints of an ended search's trials except those of its {@code keep} best (by
     * stand-alone validation accuracy) and, unless {@code keep} is 0, of its Pareto fronts' trials;
     * the others' exports then carry no trained weights (ONNX and PyTorch answer 409), while retrained
     * networks, which have checkpoints of their own, stay.
     *
     * @throws org.cellforge.engine.NotFoundException if there is no such search
     * @throws org.cellforge.engine.ConflictException if it has not ended, or a process works on it
     */
    public Pruned pruneCheckpoints(long id, int keep) {
        org.cellforge.engine.SearchStatus status = statusOf(id);
        if (!status.ended()) {
            throw new org.cellforge.engine.ConflictException("search " + id + " is " + status + "; checkpoints are "
                    + "removed from ended searches only");
        }
        try (SearchLocks.Lock lock = lockIdle(id)) {
            long[] r = tx.call(em -> new SearchRepository(em).pruneCheckpoints(id, keep));
            LOG.infof("removed %d checkpoint(s) of search %d (%d bytes), keeping its best %d", r[0], id, r[1], keep);
            return new Pruned(keep, r[0], r[1]);
        }
    }

    /** Exports of results. */
    public Exports exports() {
        return cellforge.exports();
    }

    /** A search with its trials (without their epochs), its final retrainings and its Pareto front. */
    public SearchInfo get(long id) {
        return read(id, true).search();
    }

    /**
     * Searches, newest first, without their trials: the page and its totals in three statements,
     * whatever the number of searches and trials.
     */
    public List<SearchInfo> list(int offset, int limit) {
        return list(null, offset, limit);
    }

    /** {@link #list(int, int)} of the searches in {@code status}, or all if it is null. */
    public List<SearchInfo> list(org.cellforge.engine.SearchStatus status, int offset, int limit) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            List<SearchEntity> page = repo.list(status, offset, limit);
            Map<Long, SearchRepository.SearchTotals> totals = repo.totals(page.stream().map(s -> s.id).toList());
            return page.stream().map(s -> SearchInfo.of(s, totals.get(s.id))).toList();
        });
    }

    /**
     * A search as its dashboard page heads it, with every trial as a chart point.
     *
     * @param search totals, final retrainings, Pareto front, warm start and supernet epochs, without its
     *        trials (read a page at a time with {@link #trials})
     * @param points every trial as a chart point, read once for the front and the charts
     */
    public record Overview(SearchInfo search, List<SearchRepository.TrialPoint> points) {
    }

    /** {@link Overview} of search {@code id}. */
    public Overview overview(long id) {
        return read(id, false);
    }

    private Overview read(long id, boolean withTrials) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
            SearchRepository.SearchTotals totals = repo.totals(List.of(id)).get(id);
            Cost.Kind cost = frontCost(s);
            // Learning curves are read a trial at a time (trial(id, number)), not with the search.
            List<TrialInfo> trials = null;
            List<SearchRepository.TrialPoint> points;
            if (withTrials) {
                java.util.Map<Integer, Long> sizes = repo.checkpointSizes(id, null);
                List<TrialEntity> rows = repo.trials(id);
                trials = rows.stream().map(t -> TrialInfo.of(t, List.of(), sizes)).toList();
                points = rows.stream().map(SearchRepository.TrialPoint::of).toList();
            } else {
                points = repo.points(id);
            }
            return new Overview(SearchInfo.of(s, totals, trials, repo.retrains(id).stream()
                    .map(r -> RetrainInfo.of(r, s)).toList(), frontOf(points, cost), cost.configName(), warmStart(s),
                    repo.supernetEpochs(id).stream().map(SupernetEpochInfo::of).toList()), points);
        });
    }

    /** A search with its totals and final retrainings, without its trials, front or supernet epochs. */
    public SearchInfo brief(long id) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
            return SearchInfo.of(s, repo.totals(List.of(id)).get(id), null, repo.retrains(id).stream()
                    .map(r -> RetrainInfo.of(r, s)).toList(), null, null, null, null);
        });
    }

    /**
     * One page of a search's trials without their epochs.
     *
     * @param status only trials in this state, or all if null
     */
    public List<TrialInfo> trials(long id, TrialStatus status, SearchRepository.TrialOrder order, boolean descending,
            int offset, int limit) {
        return tx.call(em -> page(new SearchRepository(em), id, status, order, descending, offset, limit));
    }

    /** A page of trials with the sizes of their checkpoints: two statements. */
    private static List<TrialInfo> page(SearchRepository repo, long id, TrialStatus status,
            SearchRepository.TrialOrder order, boolean descending, int offset, int limit) {
        List<TrialEntity> rows = repo.trialPage(id, status, order, descending, offset, limit);
        java.util.Map<Integer, Long> sizes = repo.checkpointSizes(id, rows.stream().map(t -> t.number).toList());
        return rows.stream().map(t -> TrialInfo.of(t, List.of(), sizes)).toList();
    }

    /**
     * A page of a search's trials and how many match, read in one transaction so that they agree.
     *
     * @param total trials that match the filter
     */
    public record TrialPage(long total, List<TrialInfo> trials) {
    }

    /**
     * {@link #trials} with the count of matching trials.
     *
     * @throws NotFoundException if there is no such search
     */
    public TrialPage trialPage(long id, TrialStatus status, SearchRepository.TrialOrder order, boolean descending,
            int offset, int limit) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            if (repo.status(id).isEmpty()) {
                throw new NotFoundException("no search with id " + id);
            }
            return new TrialPage(repo.countTrials(id, status), page(repo, id, status, order, descending, offset,
                    limit));
        });
    }

    /** How many trials a search has, in {@code status} if it is not null. */
    public long countTrials(long id, TrialStatus status) {
        return tx.call(em -> new SearchRepository(em).countTrials(id, status));
    }

    /** The learning curves of trials {@code numbers}: each one's epochs in order, by trial number. */
    public Map<Integer, List<TrialInfo.Epoch>> curves(long id, java.util.Collection<Integer> numbers) {
        return tx.call(em -> {
            Map<Integer, List<TrialInfo.Epoch>> out = new java.util.TreeMap<>();
            new SearchRepository(em).epochsOf(id, numbers).forEach((n, epochs) -> out.put(n,
                    epochs.stream().map(TrialInfo.Epoch::of).toList()));
            return out;
        });
    }

    /** Trial {@code number} of a search with its epochs. */
    public TrialInfo trial(long id, int number) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            TrialEntity t = repo.trial(id, number).orElseThrow(() -> new NotFoundException("search " + id
                    + " has no trial " + number));
            return TrialInfo.of(t, repo.epochsOf(id, List.of(number)).getOrDefault(number, List.of()),
                    repo.checkpointSizes(id, List.of(number)));
        });
    }

    /** Trial numbers on the front of validation accuracy against {@code cost}, of trials trained to the end. */
    private static List<Integer> frontOf(List<SearchRepository.TrialPoint> points, Cost.Kind cost) {
        List<Observation<Numbered>> observations = new ArrayList<>();
        for (SearchRepository.TrialPoint t : points) {
            if (t.status() == TrialStatus.SUCCEEDED && t.validationAccuracy() != null) {
                observations.add(Observation.of(new Numbered(t.number(), t.arch()), new Objectives(
                        t.validationAccuracy(), t.parameters() == null ? 0 : t.parameters(),
                        t.flops() == null ? 0 : t.flops())));
            }
        }
        return ParetoFront.of(observations, cost).stream().map(o -> o.architecture().number()).toList();
    }

    private static Cost.Kind frontCost(SearchEntity s) {
        SearchRequest r = JpaSearchStore.request(s);
        return r.options() != null && "flops".equals(String.valueOf(r.options().get("objective")))
                ? Cost.Kind.FLOPS : Cost.Kind.PARAMETERS;
    }

    /** A trial as an architecture, so the controllers' front can be computed over stored trials. */
    private record Numbered(int number, String key) implements Architecture {
        @Override
        public String space() {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> warmStart(SearchEntity s) {
        return s.warmStartScores == null ? null : (List<Map<String, Object>>) Json.parse(s.warmStartScores);
    }
}
