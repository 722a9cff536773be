package org.cellforge.engine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.CostLimits;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Objectives;
import org.cellforge.controller.Observation;
import org.cellforge.controller.ParetoFront;
import org.cellforge.controller.Rng;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * Runs searches: asks the controller for work while there are idle trial slots, has the evaluation
 * train each proposal, stores every step and tells the controller, then retrains the chosen
 * architectures and tests them once. Generic over space and controller; it knows its evaluator,
 * its storage and its audience only through {@link Evaluation}, {@link SearchStore} and
 * {@link SearchListener}.
 *
 * <p>A search's status changes only here, through the store: QUEUED, RUNNING, RETRAINING, then
 * SUCCEEDED, FAILED (an error, or no trial succeeded) or INTERRUPTED (the running thread was
 * interrupted). An error inside a trial fails that trial, never the search.
 */
public final class SearchEngine {

    /**
     * Repeated functions answered in a row before the engine concludes that the controller has
     * nothing new to offer (a converged population proposes what it has seen).
     */
    public static final int MAX_REPEATS_IN_A_ROW = 10_000;

    /** Candidates kept in the warm-start event; all are stored. */
    private static final int WARM_START_SHOWN = 5;

    private static final System.Logger LOG = System.getLogger(SearchEngine.class.getName());

    private final EvaluationFactory evaluations;
    private final SearchStore store;
    private final SearchListener listener;
    private final Function<String, Optional<ControllerKind>> controllers;

    private SearchEngine(EvaluationFactory evaluations, SearchStore store, SearchListener listener,
            Function<String, Optional<ControllerKind>> controllers) {
        this.evaluations = evaluations;
        this.store = store;
        this.listener = listener;
        this.controllers = controllers;
    }

    /** An engine over these ports; build it once and run any number of searches with it. */
    public static SearchEngine of(EvaluationFactory evaluations, SearchStore store, SearchListener listener) {
        return of(evaluations, store, listener, Controllers::named);
    }

    /** An engine that finds controllers by name with {@code controllers} instead of the built-in registry. */
    public static SearchEngine of(EvaluationFactory evaluations, SearchStore store, SearchListener listener,
            Function<String, Optional<ControllerKind>> controllers) {
        return new SearchEngine(Objects.requireNonNull(evaluations, "evaluations"), Objects.requireNonNull(store,
                "store"), Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(controllers,
                "controllers"));
    }

    /**
     * Runs search {@code searchId} to its end on the calling thread, its trials trained on threads of
     * this process, with {@code extra} receiving its events besides the engine's listener. A QUEUED search
     * starts; a RUNNING or RETRAINING one whose coordinator stopped is taken over as
     * {@link #coordinate} does.
     *
     * @return the status it ended in
     */
    public SearchStatus run(long searchId, SearchListener extra) {
        StoredSearch search = store.load(searchId);
        if (!search.status().live()) {
            throw new ConflictException("search " + searchId + " is " + search.status() + "; only a QUEUED search, "
                    + "or a RUNNING one whose process stopped, can be run");
        }
        SearchListener all = listener.andThen(Objects.requireNonNull(extra, "extra"));
        return coordinateIn(search, Spaces.require(search.request().space()), null, all);
    }

    /** Runs search {@code searchId} to its end on the calling thread; see {@link #run(long, SearchListener)}. */
    public SearchStatus run(long searchId) {
        return run(searchId, SearchListener.none());
    }

    /**
     * Coordinates search {@code searchId} on the calling thread with its trials trained by
     * {@code trials}: starts it if QUEUED, and takes it over where its stored state left it if RUNNING
     * or RETRAINING (its coordinator stopped): the controller continues from its stored snapshot,
     * results stored meanwhile are told to it, and unfinished trials are handed over again (a job engine
     * ignores those it holds already). A weight-sharing search continues from its newest checkpoint.
     *
     * <p>Returns when the search ends, or without ending it when it is PAUSED or was ended elsewhere.
     *
     * @return the status it is in when this returns
     */
    public SearchStatus coordinate(long searchId, TrialExecutor trials, SearchListener extra) {
        StoredSearch search = store.load(searchId);
        SearchListener all = listener.andThen(Objects.requireNonNull(extra, "extra"));
        if (!search.status().live()) {
            return search.status();
        }
        return coordinateIn(search, Spaces.require(search.request().space()), Objects.requireNonNull(trials,
                "trials"), all);
    }

    private <A extends Architecture> SearchStatus coordinateIn(StoredSearch search, SearchSpace<A> space,
            TrialExecutor trials, SearchListener events) {
        Run<A> run = new Run<>(search, space, events);
        run.executor = trials;
        if (search.status() != SearchStatus.QUEUED && search.request().weightSharing()) {
            run.resumeFrom = Optional.of(store.latestCheckpoint(search.id()));
            store.resumed(search.id(), run.resumeFrom.get().map(SupernetCheckpoint::epoch).orElse(0));
        }
        return run.execute();
    }

    /**
     * Continues the INTERRUPTED search {@code searchId} to its end on the calling thread. A weight-sharing
     * or DARTS search continues from its newest supernet checkpoint (from the start if it has none): the
     * supernet's weights, optimizer and sampling controller are restored, and everything after the
     * checkpoint is computed again, exactly as an uninterrupted run computes it. Any other search
     * continues from its controller's stored snapshot, keeping its trials and training again those the
     * stop cut short.
     *
     * @return the status it ended in
     * @throws NotFoundException if there is no such search
     * @throws ConflictException if it is not INTERRUPTED
     */
    public SearchStatus resume(long searchId, SearchListener extra) {
        return resume(prepareResume(searchId), extra);
    }

    /**
     * An interrupted search moved back to RUNNING, with the checkpoint it continues from: what
     * {@link #prepareResume} gives and {@link #resume(Resumption, SearchListener)} runs.
     *
     * @param searchId the search
     * @param checkpoint its newest supernet checkpoint, if it stored one
     * @param fromCheckpoint whether it continues from a supernet checkpoint (weight sharing) rather than from
     *     its controller's stored snapshot
     */
    public record Resumption(long searchId, Optional<SupernetCheckpoint> checkpoint, boolean fromCheckpoint) {
    }

    /**
     * The first half of {@link #resume(long, SearchListener)}, for callers that answer before the search
     * runs: checks that search {@code searchId} can be resumed and moves it back to RUNNING after its
     * newest checkpoint, so that it is shown as resumed at once.
     *
     * @throws NotFoundException if there is no such search
     * @throws ConflictException naming the reason if it cannot be resumed
     */
    public Resumption prepareResume(long searchId) {
        StoredSearch search = checkResume(searchId);
        if (!search.request().weightSharing()) {
            store.resumedFromSnapshot(searchId);
            return new Resumption(searchId, Optional.empty(), false);
        }
        Optional<SupernetCheckpoint> checkpoint = store.latestCheckpoint(searchId);
        store.resumed(searchId, checkpoint.map(SupernetCheckpoint::epoch).orElse(0));
        return new Resumption(searchId, checkpoint, true);
    }

    /** Runs a prepared resumption to the search's end on the calling thread. */
    public SearchStatus resume(Resumption resumption, SearchListener extra) {
        StoredSearch search = store.load(resumption.searchId());
        SearchListener all = listener.andThen(Objects.requireNonNull(extra, "extra"));
        return resumeIn(search, Spaces.require(search.request().space()), resumption.checkpoint(), all);
    }

    /**
     * Checks that search {@code searchId} can be resumed.
     *
     * @return the stored search
     * @throws NotFoundException if there is no such search
     * @throws ConflictException naming the reason if it cannot
     */
    public StoredSearch checkResume(long searchId) {
        StoredSearch search = store.load(searchId);
        if (search.status() != SearchStatus.INTERRUPTED) {
            throw new ConflictException("search " + searchId + " is " + search.status() + "; only an INTERRUPTED "
                    + "search can be resumed");
        }
        return search;
    }

    private <A extends Architecture> SearchStatus resumeIn(StoredSearch search, SearchSpace<A> space,
            Optional<SupernetCheckpoint> checkpoint, SearchListener events) {
        Run<A> run = new Run<>(search, space, events);
        if (search.request().weightSharing()) {
            run.resumeFrom = Optional.of(checkpoint);
        }
        return run.execute();
    }

    /**
     * Checks that trials {@code numbers} of search {@code searchId} can be retrained for {@code epochs}
     * epochs: the search has ended successfully and each trial was trained to the end.
     *
     * @return the stored search
     * @throws NotFoundException if there is no such search
     * @throws ConflictException if the search has not ended successfully
     * @throws InvalidRequestException naming {@code trials} or {@code epochs}
     */
    public StoredSearch checkRetrain(long searchId, List<Integer> numbers, int epochs) {
        StoredSearch search = store.load(searchId);
        if (search.status() != SearchStatus.SUCCEEDED) {
            throw new ConflictException("search " + searchId + " is " + search.status() + "; only a search that "
                    + "SUCCEEDED can retrain its trials");
        }
        List<Violation> v = new ArrayList<>();
        // Not indexOf(null): an immutable list throws on a null query.
        java.util.OptionalInt nullAt = numbers == null ? java.util.OptionalInt.empty()
                : java.util.stream.IntStream.range(0, numbers.size()).filter(i -> numbers.get(i) == null).findFirst();
        if (numbers == null || numbers.isEmpty()) {
            v.add(new Violation("trials", "name at least one trial"));
        } else if (nullAt.isPresent()) {
            v.add(new Violation("trials[" + nullAt.getAsInt() + "]", "expected a trial number, got null"));
        } else {
            for (int n : new java.util.LinkedHashSet<>(numbers)) {
                Optional<StoredTrial> t = search.trials().stream().filter(x -> x.number() == n).findFirst();
                if (t.isEmpty()) {
                    v.add(new Violation("trials", "search " + searchId + " has no trial " + n));
                } else if (t.get().status() != TrialStatus.SUCCEEDED) {
                    v.add(new Violation("trials", "trial " + n + " is " + t.get().status()
                            + "; only trials trained to the end are retrained"));
                }
            }
        }
        if (epochs < 1 || epochs > 1_000) {
            v.add(new Violation("epochs", "must be between 1 and 1000, got " + epochs));
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        return search;
    }

    /**
     * Retrains trials {@code numbers} of an ended search on train+validation for {@code epochs} epochs
     * and tests each once, as a search does with its finalists at the end: for the members of a
     * Pareto front a user picks afterwards. The search is RETRAINING meanwhile and SUCCEEDED again after.
     *
     * <p>Throws what {@link #checkRetrain} throws, before anything is stored.
     */
    public SearchStatus retrain(long searchId, List<Integer> numbers, int epochs, SearchListener extra) {
        StoredSearch search = checkRetrain(searchId, numbers, epochs);
        return retrainIn(search, Spaces.require(search.request().space()), List.copyOf(
                new java.util.LinkedHashSet<>(numbers)), epochs, listener.andThen(extra));
    }

    private <A extends Architecture> SearchStatus retrainIn(StoredSearch search, SearchSpace<A> space,
            List<Integer> numbers, int epochs, SearchListener events) {
        return new Run<>(search, space, events).retrainOnly(numbers, epochs);
    }

    /** How often a coordinator looks at the store when nothing told it that a trial may have ended. */
    private static final Duration POLL = Duration.ofMillis(500);

    /** Thrown out of a run when its search was paused, or ended by another process: it stops without ending it. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SearchStatus status;

        Stopped(SearchStatus status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** A trial in flight, and the proposals of the same function waiting for its result. */
    private record Trial<A extends Architecture>(long id, int number, A architecture, String canonical, Cost cost,
            List<A> repeats) {
    }

    /** A trial's result as the controller saw it, kept to answer repeated proposals and pick finalists. */
    private record Known(int number, String arch, TrialStatus status, Optional<Objectives> objectives) {

        <A extends Architecture> String canonical(SearchSpace<A> space) {
            return space.canonical(space.parse(arch)).hash();
        }
    }

    private final class Run<A extends Architecture> {

        private final long id;
        private final StoredSearch search;
        private final SearchRequest request;
        private final SearchSpace<A> space;
        private final SearchListener events;
        private final Map<String, Known> known = new LinkedHashMap<>();
        private final Map<String, Trial<A>> inFlight = new HashMap<>();
        private final AtomicInteger started = new AtomicInteger();
        /** Where trials train: given by the caller, or threads of this run. */
        private TrialExecutor executor;
        /** Whether it took over a search that another coordinator had started. */
        private final boolean continuing;
        private Controller<A> controller;
        /** Present when resuming: the checkpoint to continue from, if the search stored one. */
        private Optional<Optional<SupernetCheckpoint>> resumeFrom = Optional.empty();
        /** The supernet of a weight-sharing search; null for stand-alone searches. */
        private SharedWeights<A> shared;
        private final Map<String, Cost> costs = new HashMap<>();
        private Function<A, Cost> evaluationCost;

        Run(StoredSearch search, SearchSpace<A> space, SearchListener events) {
            this.id = search.id();
            this.search = search;
            this.request = search.request();
            this.space = space;
            this.events = events;
            this.continuing = search.status() == SearchStatus.RUNNING || search.status() == SearchStatus.RETRAINING;
        }

        SearchStatus execute() {
            LocalTrials local = null;
            TrialWorker worker = null;
            try {
                if (search.status() == SearchStatus.QUEUED) {
                    SearchStatus now = store.started(id);
                    if (now != SearchStatus.RUNNING) {
                        // Paused or cancelled between its loading and this move: nothing to do until resumed.
                        throw new Stopped(now);
                    }
                    publish(new SearchEvent.Started(id, request));
                } else {
                    publish(new SearchEvent.Resumed(id, resumeFrom.flatMap(c -> c).map(SupernetCheckpoint::epoch)
                            .orElse(0)));
                }
                try (Evaluation<A> evaluation = evaluations.open(id, request, space)) {
                    if (executor == null) {
                        // Alone in this process: its trials train on its threads, on the data it opened.
                        worker = TrialWorker.of(evaluations, store, TrialWorker.processName());
                        worker.adopt(id, request, space, evaluation);
                        local = LocalTrials.of(request.parallelTrials(), worker, events, "cellforge-trial-" + id);
                        executor = local;
                    }
                    return search(evaluation);
                }
            } catch (Stopped e) {
                LOG.log(Level.DEBUG, "search " + id + " is " + e.status + "; its coordinator stops");
                return e.status;
            } catch (InterruptedException | CancellationException e) {
                Thread.currentThread().interrupt();
                if (local == null && executor.closing()) {
                    return leave(e);
                }
                return end(SearchStatus.INTERRUPTED, "the search was cancelled before it finished");
            } catch (RuntimeException e) {
                if (local == null && executor != null && executor.closing()) {
                    return leave(e);
                }
                LOG.log(Level.ERROR, "search " + id + " failed", e);
                return end(SearchStatus.FAILED, message(e));
            } finally {
                if (local != null) {
                    local.close();
                    worker.release(id);
                }
            }
        }

        /** Leaves the search as stored, for another process to take over: this one is shutting down. */
        private SearchStatus leave(Exception why) {
            LOG.log(Level.INFO, "search " + id + " is left to the next coordinator: this process stops (" + message(why)
                    + ")");
            return SearchStatus.RUNNING;
        }

        /**
         * Stops this run, without ending the search, if it was paused or ended by someone else (a REST call
         * in another process, say).
         */
        private void lifecycle() {
            SearchStatus now = store.status(id);
            if (now == SearchStatus.PAUSED || !now.live()) {
                throw new Stopped(now);
            }
        }

        private SearchStatus search(Evaluation<A> evaluation) throws InterruptedException {
            ControllerKind kind = controllers.apply(request.controller()).orElseThrow(() ->
                    InvalidRequestException.of("controller", "unknown controller '" + request.controller() + "'"));
            List<Violation> violations = new ArrayList<>();
            Options options = Options.validate(kind.options(), request.options(), violations);
            if (!violations.isEmpty()) {
                throw new InvalidRequestException(violations.stream().map(v -> v.under("options")).toList());
            }
            Options supernet = WeightSharing.options(request.supernet());
            if (kind.oneShot()) {
                return oneShot(evaluation, options, supernet);
            }
            controller = kind.create(new ControllerContext<>(space, request.seed(), options, evaluation::cost));
            evaluationCost = evaluation::cost;
            Optional<SupernetCheckpoint> checkpoint = resumeFrom.flatMap(c -> c);
            if (checkpoint.isPresent()) {
                checkpoint.get().controller().ifPresent(controller::restore);
            } else if (!request.weightSharing() && search.controllerState().isPresent()) {
                // Taken over, or resumed: the controller continues from the state stored with its last step.
                controller.restore(search.controllerState().get());
                rebuild();
            } else if (request.warmStart() > 0) {
                warmStart(evaluation, CostLimits.of(options));
            }
            if (request.weightSharing()) {
                shared = evaluation.sharedWeights((int) supernet.integer(WeightSharing.EPOCHS.name()));
                checkpoint.ifPresent(c -> shared.restore(c.state()));
                trainSupernet(supernet, checkpoint.map(SupernetCheckpoint::epoch).orElse(0));
            }
            boolean retraining = continuing && search.status() == SearchStatus.RETRAINING && shared == null;
            String end = retraining ? "it was retraining" : loop(evaluation);
            LOG.log(Level.DEBUG, "search " + id + " stopped asking: " + end);
            // A cancellation that came while every result was already in was seen by no blocking wait;
            // it must not end the search as FAILED or SUCCEEDED.
            cancelledCheck();
            List<Known> succeeded = known.values().stream().filter(k -> k.status == TrialStatus.SUCCEEDED).toList();
            if (succeeded.isEmpty()) {
                return end(SearchStatus.FAILED, "no trial succeeded" + failures());
            }
            if (shared != null) {
                succeeded = trainFinalists(evaluation, best(succeeded,
                        (int) supernet.integer(WeightSharing.FINALISTS.name())));
                if (succeeded.isEmpty()) {
                    return end(SearchStatus.FAILED, "no finalist could be trained stand-alone" + failures());
                }
            }
            retrain(evaluation, succeeded, options);
            return end(SearchStatus.SUCCEEDED, null);
        }

        /**
         * Trains the supernet from epoch {@code from + 1}, one path per step drawn uniformly or by the
         * controller, storing each epoch and a checkpoint after it.
         */
        private void trainSupernet(Options supernet, int from) throws InterruptedException {
            int epochs = (int) supernet.integer(WeightSharing.EPOCHS.name());
            boolean byController = supernet.choice(WeightSharing.SAMPLING.name()).equals(WeightSharing.CONTROLLER);
            int keep = (int) supernet.integer(WeightSharing.CHECKPOINTS.name());
            for (int epoch = from + 1; epoch <= epochs; epoch++) {
                // A generator per epoch, so that a run resumed at any epoch draws what an uninterrupted one draws.
                Rng uniform = Rng.of(request.seed() ^ (0x632BE59BD9B4E019L * epoch));
                java.util.function.Supplier<A> paths = byController ? () -> controllerPath(uniform)
                        : () -> space.sample(uniform);
                Optional<java.util.function.ObjDoubleConsumer<A>> reward = byController
                        ? Optional.of((a, accuracy) -> controller.tell(Observation.of(a,
                                Objectives.of(accuracy, costOf(a)))))
                        : Optional.empty();
                EpochRecord metrics;
                try {
                    metrics = shared.trainEpoch(epoch, epochs, paths, reward);
                } catch (CancellationException e) {
                    throw new InterruptedException("cancelled");
                }
                SupernetEpoch done = new SupernetEpoch(epoch, epochs, metrics, Optional.empty());
                store.supernetEpoch(id, done);
                store.checkpoint(id, epoch, shared.state(), controller.snapshot(), keep);
                publish(new SearchEvent.SupernetTrained(id, done));
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("cancelled");
                }
                lifecycle();
            }
        }

        /** The controller's next proposal as a training path; a uniform draw when it has none to give. */
        private A controllerPath(Rng uniform) {
            if (controller.ask() instanceof Decision.Propose<A>(A a) && space.contains(a)) {
                return a;
            }
            return space.sample(uniform);
        }

        /** The cost of {@code a}, computed once per function: rewards of sampled paths need it every step. */
        private Cost costOf(A a) {
            return costs.computeIfAbsent(space.canonical(a).hash(), k -> evaluationCost.apply(a));
        }

        /** The {@code k} best by accuracy (their estimates, in a weight-sharing search), best first. */
        private List<Known> best(List<Known> succeeded, int k) {
            return succeeded.stream().sorted(Comparator.comparingDouble((Known x) ->
                    -x.objectives.orElseThrow().accuracy())).limit(k).toList();
        }

        /**
         * Trains each finalist stand-alone and validates it: the numbers the final choice is made on.
         *
         * @return the finalists that trained to the end, with their stand-alone validation accuracy
         */
        private List<Known> trainFinalists(Evaluation<A> evaluation, List<Known> finalists) {
            List<Known> trained = new ArrayList<>();
            Map<Integer, StoredTrial> stored = new HashMap<>();
            store.load(id).trials().forEach(t -> stored.put(t.number(), t));
            for (Known k : finalists) {
                A a = space.parse(k.arch);
                Cost cost = k.objectives.orElseThrow().cost();
                publish(new SearchEvent.FinalistStarted(id, k.number, k.arch, k.objectives.orElseThrow().accuracy()));
                Trial<A> trial = new Trial<>(stored.get(k.number).id(), k.number, a, k.canonical(space), cost,
                        new ArrayList<>());
                // Finalists train to the end: the final choice compares them on equal terms.
                TrialResult result = standAlone(trial, evaluation);
                cancelledCheck();
                store.finalistTrained(trial.id, result, controller == null ? null : controller.snapshot());
                publish(new SearchEvent.TrialFinished(id, trial.number, k.arch, cost, result, request.trials(), false));
                if (result.status() == TrialStatus.SUCCEEDED) {
                    trained.add(new Known(k.number, k.arch, TrialStatus.SUCCEEDED, Optional.of(Objectives.of(
                            result.validationAccuracy(), cost))));
                }
            }
            return trained;
        }

        /**
         * DARTS: one differentiable search on the relaxed supernet, from the checkpoint when resuming; its
         * genotype becomes the search's one trial (with the relaxed network's accuracy as supernet
         * estimate), is trained stand-alone, then retrained and tested.
         */
        private SearchStatus oneShot(Evaluation<A> evaluation, Options options, Options supernet)
                throws InterruptedException {
            int epochs = (int) supernet.integer(WeightSharing.EPOCHS.name());
            int keep = (int) supernet.integer(WeightSharing.CHECKPOINTS.name());
            Optional<SupernetCheckpoint> checkpoint = resumeFrom.flatMap(c -> c);
            long start = System.nanoTime();
            OneShotResult<A> result;
            try {
                result = evaluation.differentiable(options.values(), epochs, checkpoint.map(SupernetCheckpoint::state),
                        (epoch, state) -> {
                            store.supernetEpoch(id, epoch);
                            store.checkpoint(id, epoch.epoch(), state, null, keep);
                            publish(new SearchEvent.SupernetTrained(id, epoch));
                            SearchStatus now = store.status(id);
                            return !Thread.currentThread().isInterrupted() && now.live();
                        });
            } catch (CancellationException e) {
                throw new InterruptedException("cancelled");
            }
            if (result.failure().isPresent()) {
                return end(SearchStatus.FAILED, "the differentiable search failed: " + result.failure().get());
            }
            if (!result.completed() || Thread.currentThread().isInterrupted()) {
                lifecycle();
                throw new InterruptedException("cancelled");
            }
            if (!Double.isFinite(result.estimate())) {
                return end(SearchStatus.FAILED, "the differentiable search measured no accuracy");
            }
            A a = result.genotype();
            String canonical = space.canonical(a).hash();
            Cost cost = evaluation.cost(a);
            long trialId = store.trialStarted(id, 1, a.key(), canonical, cost, null);
            started.set(1);
            publish(new SearchEvent.TrialStarted(id, 1, a.key(), cost));
            store.trialEstimated(trialId, result.estimate(), (System.nanoTime() - start) / 1e9, null);
            TrialResult estimated = new TrialResult(TrialStatus.SUCCEEDED, result.estimate(), 0, result.seconds(),
                    Optional.empty(), Optional.empty());
            publish(new SearchEvent.TrialFinished(id, 1, a.key(), cost, estimated, 1, true));
            List<Known> trained = trainFinalists(evaluation, List.of(new Known(1, a.key(), TrialStatus.SUCCEEDED,
                    Optional.of(Objectives.of(result.estimate(), cost)))));
            if (trained.isEmpty()) {
                return end(SearchStatus.FAILED, "the genotype DARTS found could not be trained stand-alone");
            }
            retrain(evaluation, trained, options);
            return end(SearchStatus.SUCCEEDED, null);
        }

        /**
         * The trials of a search taken over, as its controller's stored state knows them: told results
         * answer repeated proposals; untold ones are in flight again, handed to workers if still RUNNING
         * (a job engine ignores those it holds) and told as soon as their results are read.
         */
        private void rebuild() {
            for (StoredTrial t : search.trials()) {
                started.set(Math.max(started.get(), t.number()));
                if (t.told()) {
                    known.put(t.canonical(), new Known(t.number(), t.arch(), t.status(), objectives(t)));
                    continue;
                }
                List<A> repeats = new ArrayList<>();
                t.repeats().forEach(r -> repeats.add(space.parse(r)));
                inFlight.put(t.canonical(), new Trial<>(t.id(), t.number(), space.parse(t.arch()), t.canonical(),
                        t.cost(), repeats));
                if (t.status() == TrialStatus.RUNNING) {
                    executor.submit(id, t.id());
                }
            }
        }

        private static Optional<Objectives> objectives(StoredTrial t) {
            return t.status() == TrialStatus.FAILED || t.validationAccuracy() == null ? Optional.empty()
                    : Optional.of(Objectives.of(t.validationAccuracy(), t.cost()));
        }

        /**
         * Scores distinct random candidates within the search's cost limits at initialization and hands
         * them to the controller, best first. Candidates over a limit are not scored: the controller
         * could not propose them, and zero-cost scores favour large networks, so they would crowd the
         * top of the list and leave the first generation to chance.
         */
        private void warmStart(Evaluation<A> evaluation, CostLimits limits) {
            Rng random = Rng.of(request.seed() ^ 0x3C6EF372FE94F82BL);
            Set<String> seen = new HashSet<>();
            List<Map.Entry<A, Double>> scored = new ArrayList<>();
            int draws = 0;
            while (scored.size() < request.warmStart() && draws++ < 100 * request.warmStart()) {
                A candidate = space.sample(random);
                if (limits.allows(evaluation.cost(candidate)) && seen.add(space.canonical(candidate).hash())) {
                    scored.add(Map.entry(candidate, evaluation.zeroCost(candidate)));
                }
            }
            scored.sort(Comparator.comparingDouble((Map.Entry<A, Double> e) -> -e.getValue()));
            controller.warmStart(scored.stream().map(Map.Entry::getKey).toList());
            List<ScoredCandidate> ranked = scored.stream()
                    .map(e -> new ScoredCandidate(e.getKey().key(), e.getValue())).toList();
            store.warmStarted(id, ranked, controller.snapshot());
            publish(new SearchEvent.WarmStarted(id, ranked.size(),
                    ranked.subList(0, Math.min(WARM_START_SHOWN, ranked.size()))));
        }

        /**
         * Asks and evaluates until the budget is spent or the controller is done: asks for as many
         * candidates as the executor has idle slots (within the search's own limit), tells each result as
         * it is read from the store, and stops when the search is paused or ended elsewhere.
         *
         * @return why it stopped asking
         */
        private String loop(Evaluation<A> evaluation) throws InterruptedException {
            int repeatsInARow = 0;
            String end = null;
            long givenUpChecked = System.nanoTime();
            while (true) {
                lifecycle();
                int room = shared != null ? 1 : Math.min(request.parallelTrials() - inFlight.size(),
                        executor.idleSlots());
                while (end == null && room > 0) {
                    if (started.get() >= request.trials()) {
                        end = "the budget of " + request.trials() + " trials is spent";
                        break;
                    }
                    Decision<A> decision = controller.ask();
                    if (decision instanceof Decision.Done<A>(String reason)) {
                        end = "the controller is done: " + reason;
                    } else if (decision instanceof Decision.Wait<A>) {
                        if (inFlight.isEmpty()) {
                            throw new IllegalStateException("controller " + controller.name()
                                    + " waits although no trial is running");
                        }
                        break;
                    } else if (decision instanceof Decision.Propose<A>(A a)) {
                        if (propose(a, evaluation)) {
                            repeatsInARow = 0;
                            room--;
                        } else if (++repeatsInARow >= MAX_REPEATS_IN_A_ROW) {
                            end = "the controller proposed only functions evaluated before, " + repeatsInARow
                                    + " times in a row";
                        }
                    }
                }
                if (inFlight.isEmpty()) {
                    if (end != null) {
                        return end;
                    }
                    // No slot is free anywhere (no worker is running): wait for one.
                    executor.awaitChange(POLL);
                    continue;
                }
                if (System.nanoTime() - givenUpChecked >= executor.givenUpCheckInterval().toNanos()) {
                    givenUp();
                    givenUpChecked = System.nanoTime();
                }
                if (!collect()) {
                    executor.awaitChange(POLL);
                }
            }
        }

        /**
         * Tells the controller the first result that workers stored since it was last told: one at a time,
         * so that the controller is asked again after each, as it would be if they had ended apart.
         *
         * @return whether there was one
         */
        private boolean collect() {
            for (StoredTrial t : store.untold(id)) {
                if (t.failure().filter(SearchStore.CANCELLED::equals).isPresent()) {
                    // Cut short by a stop, not a result: resuming trains it again, and only then is it told.
                    lifecycle();
                    continue;
                }
                if (t.status() != TrialStatus.RUNNING && inFlight.containsKey(t.canonical())) {
                    finish(t);
                    return true;
                }
            }
            return false;
        }

        /** Ends as FAILED, with the executor's reason, trials in flight whose workers gave them up. */
        private void givenUp() {
            for (Trial<A> t : List.copyOf(inFlight.values())) {
                executor.givenUp(t.id).ifPresent(reason -> store.trialFinished(t.id, TrialResult.failed(reason,
                        0, 0), null));
            }
        }

        /**
         * Starts a trial for {@code a}, or answers it from the result of the same function.
         *
         * @return whether a trial was started
         */
        private boolean propose(A a, Evaluation<A> evaluation) {
            requireMember(a);
            String canonical = space.canonical(a).hash();
            Known k = known.get(canonical);
            if (k != null) {
                controller.tell(new Observation<>(a, k.status.outcome(), k.objectives));
                publish(new SearchEvent.Repeated(id, a.key(), k.number));
                return false;
            }
            Trial<A> running = inFlight.get(canonical);
            if (running != null) {
                running.repeats.add(a);
                store.trialRepeated(running.id, a.key(), controller.snapshot());
                return false;
            }
            int number = started.incrementAndGet();
            Cost cost = evaluation.cost(a);
            long trialId = store.trialStarted(id, number, a.key(), canonical, cost, controller.snapshot());
            Trial<A> trial = new Trial<>(trialId, number, a, canonical, cost, new ArrayList<>());
            publish(new SearchEvent.TrialStarted(id, number, a.key(), cost));
            if (shared != null) {
                // Paths of one supernet share layers and statistics: its estimates are made one at a time, here.
                finishEstimate(trial, estimate(trial));
            } else {
                inFlight.put(canonical, trial);
                executor.submit(id, trialId);
            }
            return true;
        }

        private void requireMember(A a) {
            if (!space.contains(a)) {
                throw new IllegalStateException("controller " + controller.name() + " proposed " + a.key()
                        + ", which is not in the space " + space.name());
            }
        }

        /** A trial's supernet estimate (inherited weights, no training); an exception fails the trial. */
        private TrialResult estimate(Trial<A> trial) {
            long start = System.nanoTime();
            try {
                double estimate = shared.estimate(trial.architecture);
                return new TrialResult(TrialStatus.SUCCEEDED, estimate, 0, (System.nanoTime() - start) / 1e9,
                        Optional.empty(), Optional.empty());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "estimating trial " + trial.number + " of search " + id + " failed", e);
                return TrialResult.failed("its supernet estimate failed: " + message(e), 0,
                        (System.nanoTime() - start) / 1e9);
            }
        }

        /**
         * Stand-alone training of a finalist on this thread, to the end (finalists are compared on equal
         * terms); any exception ends it as FAILED with the reason.
         */
        private TrialResult standAlone(Trial<A> trial, Evaluation<A> evaluation) {
            long start = System.nanoTime();
            AtomicInteger epochs = new AtomicInteger();
            try {
                return evaluation.train(trial.architecture, trial.number, e -> {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("the search was cancelled");
                    }
                    epochs.set(e.epoch());
                    store.epochFinished(trial.id, e);
                    publish(new SearchEvent.Epoch(id, trial.number, e));
                    return true;
                });
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "trial " + trial.number + " of search " + id + " failed", e);
                return TrialResult.failed(message(e), epochs.get(), (System.nanoTime() - start) / 1e9);
            }
        }

        /** Tells the controller a stored result, and stores that it was told with the controller's state. */
        private void finish(StoredTrial stored) {
            Trial<A> trial = inFlight.remove(stored.canonical());
            TrialResult result = stored.result();
            Optional<Objectives> objectives = result.status() == TrialStatus.FAILED ? Optional.empty()
                    : Optional.of(Objectives.of(result.validationAccuracy(), trial.cost));
            tell(trial, result, objectives);
            store.trialTold(trial.id, controller.snapshot());
            announce(trial, result, false);
        }

        /** Tells the controller an estimate, and stores both together. */
        private void finishEstimate(Trial<A> trial, TrialResult result) {
            Optional<Objectives> objectives = result.status() == TrialStatus.FAILED ? Optional.empty()
                    : Optional.of(Objectives.of(result.validationAccuracy(), trial.cost));
            tell(trial, result, objectives);
            try {
                if (result.status() == TrialStatus.SUCCEEDED) {
                    store.trialEstimated(trial.id, result.validationAccuracy(), result.seconds(), controller.snapshot());
                } else {
                    store.trialFinished(trial.id, result, controller.snapshot());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "could not store the result of trial " + trial.number, e);
                store.trialFailed(trial.id, "its result could not be stored: " + message(e));
                throw e;
            }
            announce(trial, result, true);
        }

        private void tell(Trial<A> trial, TrialResult result, Optional<Objectives> objectives) {
            Observation.Outcome outcome = result.status().outcome();
            known.put(trial.canonical, new Known(trial.number, trial.architecture.key(), result.status(), objectives));
            controller.tell(new Observation<>(trial.architecture, outcome, objectives));
            for (A repeat : trial.repeats) {
                controller.tell(new Observation<>(repeat, outcome, objectives));
            }
        }

        private void announce(Trial<A> trial, TrialResult result, boolean estimate) {
            publish(new SearchEvent.TrialFinished(id, trial.number, trial.architecture.key(), trial.cost, result,
                    request.trials(), estimate));
            for (A repeat : trial.repeats) {
                publish(new SearchEvent.Repeated(id, repeat.key(), trial.number));
            }
        }

        /** Retrains the best trial, or the Pareto front, on train+validation and tests each once. */
        private void retrain(Evaluation<A> evaluation, List<Known> succeeded, Options options) {
            if (request.retrainEpochs() == 0) {
                return;
            }
            SearchStatus now = store.retraining(id);
            if (now != SearchStatus.RETRAINING) {
                // Paused or cancelled after the loop last looked: the resume retrains.
                throw new Stopped(now);
            }
            List<Known> members = finalists(succeeded, options);
            if (continuing) {
                // Taken over: what was retrained before stands; what was cut short is retrained again.
                java.util.Set<Integer> done = store.restartRetraining(id);
                members = members.stream().filter(k -> !done.contains(k.number)).toList();
            }
            retrain(evaluation, members, request.retrainEpochs(), true);
        }

        /** Retrains stored trials {@code numbers} of an ended search, then marks it SUCCEEDED again. */
        SearchStatus retrainOnly(List<Integer> numbers, int epochs) {
            try {
                store.retraining(id);
                try (Evaluation<A> evaluation = evaluations.open(id, request, space)) {
                    List<Known> members = new ArrayList<>();
                    for (int n : numbers) {
                        StoredTrial t = search.trials().stream().filter(x -> x.number() == n).findFirst()
                                .orElseThrow();
                        // Only the cost is read from here on; a trial of a weight-sharing search may have no
                        // stand-alone accuracy.
                        members.add(new Known(t.number(), t.arch(), t.status(), Optional.of(Objectives.of(
                                t.validationAccuracy() == null ? 0 : t.validationAccuracy(), t.cost()))));
                    }
                    // Epochs asked for by number are trained in full, whatever time the recipe budgets.
                    retrain(evaluation, members, epochs, false);
                }
                return end(SearchStatus.SUCCEEDED, null);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "retraining trials " + numbers + " of search " + id + " failed", e);
                // The search itself succeeded; what failed was the later retraining, which keeps its reason.
                return end(SearchStatus.SUCCEEDED, null);
            }
        }

        /**
         * Ends the search as INTERRUPTED if its thread was interrupted: the phases that train on the
         * loop's own thread (finalists, retraining) see a cancellation only through the flag, since a
         * training turns exceptions of its listener into a failed result.
         */
        private void cancelledCheck() {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the search was cancelled");
            }
        }

        /**
         * Retrains {@code members} for {@code epochs} epochs each, or, when {@code budgeted} and the
         * request's retraining has {@code minutes}, for as many as fit in them at the pace of each
         * one's own trial, then at the pace of its own epochs.
         */
        private void retrain(Evaluation<A> evaluation, List<Known> members, int requested, boolean budgeted) {
            boolean timed = budgeted && request.retrainingSettings().minutes().isPresent();
            Map<Integer, StoredTrial> stored = new HashMap<>();
            if (timed) {
                store.load(id).trials().forEach(t -> stored.put(t.number(), t));
            }
            for (Known k : members) {
                cancelledCheck();
                A a = space.parse(k.arch);
                Cost cost = k.objectives.orElseThrow().cost();
                Plan plan = timed ? epochsWithinBudget(evaluation, stored.get(k.number), requested)
                        : new Plan(requested, Double.NaN);
                int epochs = plan.epochs();
                long retrainId = store.retrainStarted(id, k.number, k.arch, cost, epochs);
                publish(new SearchEvent.RetrainStarted(id, k.number, k.arch, epochs, plan.secondsPerEpoch()));
                long start = System.nanoTime();
                RetrainResult result;
                try {
                    result = evaluation.retrain(a, epochs, new EpochSink() {
                        @Override
                        public boolean epochFinished(EpochRecord e) {
                            publish(new SearchEvent.RetrainEpoch(id, k.number, e));
                            return true;
                        }

                        private final List<Double> seconds = new ArrayList<>();

                        @Override
                        public int epochs(EpochRecord e, int planned) {
                            // From the epochs' own times: this needs no image count, unlike the plan from
                            // the trial.
                            if (!timed) {
                                return planned;
                            }
                            seconds.add(e.seconds());
                            return replanned(retrainId, k.number, e.epoch(), seconds, requested, planned);
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "retraining trial " + k.number + " of search " + id + " failed", e);
                    result = RetrainResult.failed(message(e), 0, (System.nanoTime() - start) / 1e9);
                }
                if (Thread.currentThread().isInterrupted()) {
                    store.retrainFinished(retrainId, RetrainResult.failed("the search was cancelled", 0,
                            (System.nanoTime() - start) / 1e9));
                    cancelledCheck();
                }
                store.retrainFinished(retrainId, result);
                publish(new SearchEvent.RetrainFinished(id, k.number, k.arch, cost, result));
            }
        }

        /**
         * The epochs of a retraining with a time budget: the trial's seconds per training image (the
         * median of its epochs' training throughput, without the validation passes a retraining does not
         * make; its wall time per image and epoch if no throughput was stored) times the retraining's
         * images; all {@code requested} when the trial's pace or the retraining's size is unknown. A
         * retraining with its own batch size or augmentation may run at another pace than its trial did:
         * the budget is an estimate.
         */
        private Plan epochsWithinBudget(Evaluation<A> evaluation, StoredTrial trial, int requested) {
            Retraining retraining = request.retrainingSettings();
            java.util.OptionalLong images = evaluation.retrainingImages();
            if (trial == null || trial.curve().isEmpty() || images.isEmpty()) {
                return new Plan(requested, Double.NaN);
            }
            double pace = trial.imagesPerSecond() > 0 && Double.isFinite(trial.imagesPerSecond())
                    ? 1 / trial.imagesPerSecond()
                    : trial.seconds() / (trial.curve().size() * (double) request.withDefaults().trainSize());
            int epochs = retraining.epochsWithin(requested, pace, images.getAsLong());
            LOG.log(Level.INFO, String.format(java.util.Locale.ROOT, "search %d: trial %d retrains for %d of at most "
                    + "%d epochs, to fit %.1f minutes at its trial's pace (%.1f s per epoch of %d images)", id,
                    trial.number(), epochs, requested, retraining.minutes().orElseThrow(), pace * images.getAsLong(),
                    images.getAsLong()));
            return new Plan(epochs, pace * images.getAsLong());
        }

        /** A retraining's length, and the seconds per epoch it was planned at (NaN when not from a pace). */
        private record Plan(int epochs, double secondsPerEpoch) {
        }

        /**
         * The epochs of a time-budgeted retraining as its own epochs measure them, planned again after
         * each one: the trial's pace leaves out what only the retraining pays (its augmentation, its
         * larger data set: a 67,426-parameter network's 80-minute retraining was planned at 31.4 s per
         * epoch and took 35.9), and a machine slowed down by other work mid-way would overrun it. The
         * epochs done plus as many as fit in the budget left (the epochs' own time: building the network
         * and loading the data come before), at the slower of the median epoch and the fastest of the last
         * three. The median of all lags behind a slowdown that lasts, and overran a simulated one; the
         * fastest of the last three sees one once it has lasted three epochs, yet neither a single slow
         * epoch (a pause, a burst of other work: their mean cut an 88-epoch plan by 12 for one epoch twice
         * as long, then put 11 back three epochs later, each move a step in the learning rate; the time it
         * took still counts, as spent) nor epochs alternately slower and faster (their median followed
         * every turn). After the first epoch the plan moves only by two or more: by one, noise in the
         * epochs' times moved an 88-epoch plan back and forth a dozen times in simulation; so it may end up
         * to one epoch past its budget, or two short of it.
         */
        private int replanned(long retrainId, int number, int done, List<Double> seconds, int requested,
                int planned) {
            double budget = request.retrainingSettings().minutes().orElseThrow() * 60;
            double spent = seconds.stream().mapToDouble(Double::doubleValue).sum();
            double median = org.cellforge.engine.stopping.MedianRule.median(seconds);
            double recent = seconds.subList(Math.max(0, seconds.size() - 3), seconds.size()).stream()
                    .mapToDouble(Double::doubleValue).min().orElseThrow();
            double pace = Math.max(median, recent);
            if (!(pace > 0) || !Double.isFinite(spent)) {
                return planned;
            }
            int fit = (int) Math.max(Math.max(done, 1),
                    Math.min(requested, done + Math.floor(Math.max(0, budget - spent) / pace)));
            boolean change = done == 1 ? fit != planned : Math.abs(fit - planned) >= 2;
            if (!change) {
                return planned;
            }
            store.retrainReplanned(retrainId, fit);
            publish(new SearchEvent.RetrainReplanned(id, number, done, planned, fit, pace, spent));
            LOG.log(Level.INFO, String.format(java.util.Locale.ROOT, "search %d: trial %d's retraining spent %.1f s "
                    + "of %.1f in %d epoch(s) (%.1f s per epoch): %d epochs fit its budget, not %d", id, number, spent,
                    budget, done, pace, fit, planned));
            return fit;
        }

        private List<Known> finalists(List<Known> succeeded, Options options) {
            if (request.retrain().equals("front")) {
                Cost.Kind kind = options.values().get("objective") instanceof String s
                        ? Cost.Kind.valueOf(s.toUpperCase(java.util.Locale.ROOT)) : Cost.Kind.PARAMETERS;
                Map<Observation<A>, Known> byObservation = new LinkedHashMap<>();
                for (Known k : succeeded) {
                    byObservation.put(new Observation<>(space.parse(k.arch), Observation.Outcome.SUCCEEDED,
                            k.objectives), k);
                }
                return ParetoFront.of(new ArrayList<>(byObservation.keySet()), kind).stream()
                        .map(byObservation::get).toList();
            }
            Known best = succeeded.get(0);
            for (Known k : succeeded) {
                if (k.objectives.orElseThrow().accuracy() > best.objectives.orElseThrow().accuracy()) {
                    best = k;
                }
            }
            return List.of(best);
        }

        private String failures() {
            List<String> reasons = known.values().stream().filter(k -> k.status == TrialStatus.FAILED)
                    .map(k -> "trial " + k.number).toList();
            return reasons.isEmpty() ? "" : " (" + reasons.size() + " failed; see each trial's failure)";
        }

        private SearchStatus end(SearchStatus status, String error) {
            try {
                if (store.finished(id, status, error) == SearchStatus.PAUSED) {
                    LOG.log(Level.DEBUG, "search " + id + " was paused after its last result; its resume ends it");
                    return SearchStatus.PAUSED;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "could not record the end of search " + id, e);
            }
            publish(new SearchEvent.Finished(id, status, error));
            return status;
        }

        private void publish(SearchEvent event) {
            try {
                events.on(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a search listener failed on " + event.getClass().getSimpleName(), e);
            }
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
