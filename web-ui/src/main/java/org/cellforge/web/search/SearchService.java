package org.cellforge.web.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

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
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.persistence.TrialEpochEntity;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;
import org.cellforge.runner.Exports;
import org.cellforge.space.Architecture;
import org.cellforge.space.json.Json;
import org.cellforge.web.CellforgeMain;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Searches for REST and the dashboard: submitted through the runner (validated like the command
 * line's), run one at a time in the background, and read back from the database.
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    @Inject
    QuarkusTransactions tx;

    @ConfigProperty(name = "cellforge.dataset.fashion-mnist")
    Optional<String> fashionMnistDirectory;

    @ConfigProperty(name = "cellforge.dataset.cache-mb")
    long datasetCacheMb;

    private Cellforge cellforge;

    // One search at a time: trials already use every core through ND4J's native threads.
    /** The background work of each search that is queued or running here, to cancel it. */
    private final Map<Long, Work> work = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A search's background task, and whether it has begun: a task cancelled before it began never ends
     * its search, so the cancellation must.
     */
    private record Work(java.util.concurrent.Future<?> future, java.util.concurrent.atomic.AtomicBoolean begun) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cellforge-search");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        cellforge = Cellforge.of(tx, Datasets.of(fashionMnistDirectory.filter(s -> !s.isBlank())
                .map(java.nio.file.Path::of), Math.multiplyExact(datasetCacheMb, 1L << 20)), SearchListener.none());
        // Only this process can use the embedded database, so whatever is still marked live there was left by
        // one that stopped; a shared database may hold searches that other processes are running.
        if (Boolean.getBoolean(CellforgeMain.EMBEDDED_PROPERTY)) {
            int interrupted = tx.call(em -> new SearchRepository(em)
                    .interruptUnfinished("the process running it stopped before it finished"));
            if (interrupted > 0) {
                LOG.infof("marked %d search(es) left unfinished by an earlier process as INTERRUPTED", interrupted);
            }
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /**
     * Validates and stores a search, then runs it in the background; answers its state as stored,
     * QUEUED, read before the background run can change it.
     */
    public SearchInfo submit(SearchRequest request) {
        long id = cellforge.submit(request);
        SearchInfo created = get(id);
        background(id, () -> cellforge.run(id, SearchListener.none()), "search %d could not run");
        return created;
    }

    /**
     * Checks, then retrains in the background, trials {@code numbers} of an ended search (the Pareto
     * front members a user picks); answers the search as it stands before the retraining starts.
     */
    public SearchInfo retrain(long id, List<Integer> numbers, int epochs) {
        cellforge.checkRetrain(id, numbers, epochs);
        SearchInfo before = get(id);
        background(id, () -> cellforge.retrain(id, numbers, epochs, SearchListener.none()),
                "retraining trials of search %d could not run");
        return before;
    }

    /**
     * Checks, then resumes in the background, an INTERRUPTED weight-sharing or darts search from its
     * newest supernet checkpoint; answers the search as it stands before it continues.
     *
     * @throws org.cellforge.engine.ConflictException naming why it cannot be resumed
     */
    public SearchInfo resume(long id) {
        // Moved back to RUNNING before answering, so that the answer and every later read show it resumed.
        var resumption = cellforge.prepareResume(id);
        SearchInfo resumed = get(id);
        background(id, () -> cellforge.resume(resumption, SearchListener.none()), "search %d could not be resumed");
        return resumed;
    }

    /** Runs {@code task} for search {@code id} on the search thread, where {@link #cancel} can reach it. */
    private void background(long id, Runnable task, String failure) {
        java.util.concurrent.atomic.AtomicBoolean begun = new java.util.concurrent.atomic.AtomicBoolean();
        // The entry this task put, so that its end never removes a later task's entry for the same search.
        Work[] mine = new Work[1];
        java.util.concurrent.FutureTask<Void> future = new java.util.concurrent.FutureTask<>(() -> {
            begun.set(true);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, failure, id);
            } finally {
                work.remove(id, mine[0]);
            }
        }, null);
        mine[0] = new Work(future, begun);
        work.put(id, mine[0]);
        executor.execute(future);
    }

    /**
     * Cancels a queued or running search: a running one stops at its next step and ends INTERRUPTED
     * (a weight-sharing or DARTS search can be resumed from its newest checkpoint); a queued one ends
     * INTERRUPTED without running. Answers the search as it stands after the cancellation is asked for.
     *
     * @throws org.cellforge.engine.ConflictException if it has ended, or is not run by this server
     */
    public SearchInfo cancel(long id) {
        SearchInfo s = get(id);
        Work w = work.get(id);
        if (w == null || List.of("SUCCEEDED", "FAILED", "INTERRUPTED").contains(s.status())) {
            throw new org.cellforge.engine.ConflictException("search " + id + " is " + s.status()
                    + (w == null ? " and not queued or running in this server" : "") + "; only a queued or running "
                    + "search can be cancelled");
        }
        w.future().cancel(true);
        work.remove(id, w);
        if (!w.begun().get()) {
            // Never ran: nothing else will end it.
            cellforge.store().finished(id, org.cellforge.engine.SearchStatus.INTERRUPTED, "cancelled before it started");
        }
        return get(id);
    }

    /** Exports of results. */
    public Exports exports() {
        return cellforge.exports();
    }

    /** A search with its trials, their epochs, its final retrainings and its Pareto front. */
    public SearchInfo get(long id) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(id).orElseThrow(() -> new NotFoundException("no search with id " + id));
            Map<Long, List<TrialEpochEntity>> epochs = repo.epochs(id).stream()
                    .collect(Collectors.groupingBy(e -> e.trialId));
            List<TrialEntity> entities = repo.trials(id);
            List<TrialInfo> trials = entities.stream()
                    .map(t -> TrialInfo.of(t, epochs.getOrDefault(t.id, List.of()))).toList();
            List<RetrainEntity> retrains = repo.retrains(id);
            TrialInfo best = best(trials);
            Cost.Kind cost = frontCost(s);
            return SearchInfo.of(s, finished(trials), best, bestTest(best, retrains), trials,
                    retrains.stream().map(RetrainInfo::of).toList(), front(entities, cost),
                    cost.configName(), warmStart(s),
                    repo.supernetEpochs(id).stream().map(SupernetEpochInfo::of).toList());
        });
    }

    /** Searches, newest first, without their trials. */
    public List<SearchInfo> list(int offset, int limit) {
        return tx.call(em -> {
            SearchRepository repo = new SearchRepository(em);
            List<SearchInfo> out = new ArrayList<>();
            for (SearchEntity s : repo.list(offset, limit)) {
                List<TrialInfo> trials = repo.trials(s.id).stream().map(t -> TrialInfo.of(t, List.of())).toList();
                TrialInfo best = best(trials);
                out.add(SearchInfo.of(s, finished(trials), best, bestTest(best, repo.retrains(s.id)), null, null,
                        null, null, null, null));
            }
            return out;
        });
    }

    private static Cost.Kind frontCost(SearchEntity s) {
        SearchRequest r = JpaSearchStore.request(s);
        return r.options() != null && "flops".equals(String.valueOf(r.options().get("objective")))
                ? Cost.Kind.FLOPS : Cost.Kind.PARAMETERS;
    }

    /** Trial numbers on the front of validation accuracy against {@code cost}, of trials trained to the end. */
    private static List<Integer> front(List<TrialEntity> trials, Cost.Kind cost) {
        List<Observation<Numbered>> observations = new ArrayList<>();
        for (TrialEntity t : trials) {
            if (t.status == TrialStatus.SUCCEEDED && t.validationAccuracy != null) {
                observations.add(Observation.of(new Numbered(t.number, t.arch), new Objectives(t.validationAccuracy,
                        t.parameters == null ? 0 : t.parameters, t.flops == null ? 0 : t.flops)));
            }
        }
        return ParetoFront.of(observations, cost).stream().map(o -> o.architecture().number()).toList();
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

    private static Double bestTest(TrialInfo best, List<RetrainEntity> retrains) {
        if (best == null) {
            return null;
        }
        return retrains.stream().filter(r -> r.trialNumber == best.number() && r.testAccuracy != null)
                .map(r -> r.testAccuracy).reduce((a, b) -> b).orElse(null);
    }

    private static int finished(List<TrialInfo> trials) {
        return (int) trials.stream().filter(t -> !TrialStatus.RUNNING.name().equals(t.status())).count();
    }

    private static TrialInfo best(List<TrialInfo> trials) {
        return trials.stream()
                .filter(t -> TrialStatus.SUCCEEDED.name().equals(t.status()) && t.validationAccuracy() != null)
                .reduce((a, b) -> b.validationAccuracy() > a.validationAccuracy() ? b : a)
                .orElse(null);
    }
}
