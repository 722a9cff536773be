package org.cellforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Decision;
import org.cellforge.controller.option.Options;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

/** A search whose coordinator stopped is continued from what it stored, by another coordinator. */
class TakeOverTest {

    private static final DatasetInfo DATA = new DatasetInfo(1, 28, 28, 10, "test data");

    private static SearchRequest request(int trials, int parallel) {
        return SearchRequest.builder().space("nas-bench-201").controller("random").options(Map.of()).trials(trials)
                .epochs(2).parallelTrials(parallel).build().withDefaults();
    }

    /**
     * Trials on threads of this process, until the {@code dieAt}-th hand-over: then the executor reports
     * its process closing and throws, as a coordinator sees its process go down.
     */
    private static final class Dying implements TrialExecutor {
        private final LocalTrials trials;
        private final int dieAt;
        private final AtomicInteger submitted = new AtomicInteger();
        private volatile boolean closing;

        Dying(LocalTrials trials, int dieAt) {
            this.trials = trials;
            this.dieAt = dieAt;
        }

        @Override
        public int idleSlots() {
            return trials.idleSlots();
        }

        @Override
        public void submit(long searchId, long trialId) {
            if (submitted.incrementAndGet() == dieAt) {
                closing = true;
                throw new IllegalStateException("the process is going down");
            }
            trials.submit(searchId, trialId);
        }

        @Override
        public void awaitChange(Duration timeout) throws InterruptedException {
            trials.awaitChange(timeout);
        }

        @Override
        public Optional<String> givenUp(long trialId) {
            return trials.givenUp(trialId);
        }

        @Override
        public boolean closing() {
            return closing;
        }
    }

    @Test
    void aSearchLeftRunningIsTakenOverFromItsStoredStateWithNoTrialLostOrRunTwice() {
        InMemoryStore store = new InMemoryStore();
        store.create(request(7, 2), DATA);
        EvaluationFactory evaluations = FakeEvaluation.factory(FakeEvaluation::hashed);
        SearchEngine engine = SearchEngine.of(evaluations, store, SearchListener.none());

        SearchStatus first;
        try (LocalTrials threads = LocalTrials.of(2, TrialWorker.of(evaluations, store, "first"), SearchListener.none(),
                "first")) {
            first = engine.coordinate(1, new Dying(threads, 4), SearchListener.none());
        }
        assertEquals(SearchStatus.RUNNING, first, "a coordinator going down with its process leaves the search as is");
        assertEquals(4, store.trials.size(), "the fourth trial was stored before its hand-over failed");
        ControllerState snapshot = store.state;
        List<String> before = store.trials.stream().map(t -> t.arch).toList();

        List<SearchEvent> events = new ArrayList<>();
        SearchStatus second;
        try (LocalTrials threads = LocalTrials.of(2, TrialWorker.of(evaluations, store, "second"),
                SearchListener.none(), "second")) {
            second = SearchEngine.of(evaluations, store, SearchListener.none()).coordinate(1, threads, events::add);
        }
        assertEquals(SearchStatus.SUCCEEDED, second, store.error);
        assertEquals(7, store.trials.size(), "exactly the budget");
        assertEquals(7, new HashSet<>(store.trials.stream().map(t -> t.arch).toList()).size(), "no function twice");
        for (InMemoryStore.Trial t : store.trials) {
            assertEquals(TrialStatus.SUCCEEDED, t.status, t.arch);
            assertEquals(FakeEvaluation.hashed(t.arch), t.accuracy, 1e-12, t.arch);
            assertEquals(2, t.epochs.size(), "trained once to the end: " + t.arch);
            assertTrue(t.told, t.arch);
        }
        assertEquals(before, store.trials.subList(0, 4).stream().map(t -> t.arch).toList(), "stored trials are kept");
        assertTrue(events.get(0) instanceof SearchEvent.Resumed, "the second coordinator continues, not restarts");

        // What the second coordinator proposed is what the controller stored at the stop proposes next.
        var kind = Controllers.named("random").orElseThrow();
        Controller<Nb201Cell> replay = kind.create(new ControllerContext<>(Nb201Space.standard(), store.request.seed(),
                Options.validate(kind.options(), Map.of(), new ArrayList<>()), c -> new org.cellforge.controller.Cost(0,
                0)));
        replay.restore(snapshot);
        for (InMemoryStore.Trial t : store.trials.subList(4, 7)) {
            assertTrue(replay.ask() instanceof Decision.Propose<Nb201Cell>(Nb201Cell c) && c.key().equals(t.arch),
                    "trial " + t.number + " follows from the stored snapshot");
        }
    }

    @Test
    void aPausedSearchStopsProposingAndResumesWhereItStood() {
        InMemoryStore store = new InMemoryStore();
        store.create(request(5, 1), DATA);
        EvaluationFactory evaluations = FakeEvaluation.factory(FakeEvaluation::hashed);
        SearchEngine engine = SearchEngine.of(evaluations, store, SearchListener.none());
        List<SearchEvent> events = new ArrayList<>();
        SearchStatus paused;
        try (LocalTrials threads = LocalTrials.of(1, TrialWorker.of(evaluations, store, "w"), SearchListener.none(),
                "w")) {
            // Paused by whoever handles the REST call, as soon as the second trial is told.
            paused = engine.coordinate(1, threads, e -> {
                if (e instanceof SearchEvent.TrialFinished f && f.number() == 2) {
                    store.paused(1);
                }
            });
        }
        assertEquals(SearchStatus.PAUSED, paused);
        assertEquals(SearchStatus.PAUSED, store.status);
        int atPause = store.trials.size();
        assertTrue(atPause <= 3, "at most the trial asked for before the pause was seen: " + atPause);
        assertThrows(ConflictException.class, () -> store.paused(1), "a paused search cannot be paused again");
        assertEquals(SearchStatus.PAUSED, engine.coordinate(1, LocalTrials.of(1, TrialWorker.of(evaluations, store,
                "x"), SearchListener.none(), "x"), SearchListener.none()), "nobody coordinates a paused search");
        assertEquals(atPause, store.trials.size());

        store.unpaused(1);
        try (LocalTrials threads = LocalTrials.of(1, TrialWorker.of(evaluations, store, "w"), SearchListener.none(),
                "w")) {
            assertEquals(SearchStatus.SUCCEEDED, engine.coordinate(1, threads, events::add), store.error);
        }
        assertEquals(5, store.trials.size());
        assertTrue(store.trials.stream().allMatch(t -> t.status == TrialStatus.SUCCEEDED && t.epochs.size() == 2));
    }

    @Test
    void aPauseThatLandsAfterTheLastResultHoldsUntilTheResumeEndsTheSearch() {
        EvaluationFactory evaluations = FakeEvaluation.factory(FakeEvaluation::hashed);
        // Paused just after the coordinator last looked, as it leaves the loop for the retraining, or as
        // it ends a search that retrains nothing: the user was answered PAUSED, so PAUSED it stays.
        for (int retrainEpochs : List.of(2, 0)) {
            String step = retrainEpochs > 0 ? "retraining" : "finished";
            InMemoryStore store = new InMemoryStore();
            store.create(request(3, 1).toBuilder().retrainEpochs(retrainEpochs).build().withDefaults(), DATA);
            store.onceAt(step, () -> store.paused(1));
            SearchEngine engine = SearchEngine.of(evaluations, store, SearchListener.none());
            List<SearchEvent> events = new ArrayList<>();
            assertEquals(SearchStatus.PAUSED, engine.run(1, events::add), step);
            assertEquals(SearchStatus.PAUSED, store.status, step);
            assertTrue(store.retrains.isEmpty(), step + ": nothing retrained while paused");
            assertTrue(events.stream().noneMatch(e -> e instanceof SearchEvent.Finished), step);
            assertEquals(3, store.trials.size());

            store.unpaused(1);
            assertEquals(SearchStatus.SUCCEEDED, engine.run(1, events::add), step + ": " + store.error);
            assertEquals(3, store.trials.size(), step + ": the resume trains no trial again");
            assertEquals(retrainEpochs > 0 ? 1 : 0, store.retrains.size(), step);
        }
        // A cancellation that lands there holds too.
        InMemoryStore store = new InMemoryStore();
        store.create(request(2, 1), DATA);
        store.onceAt("retraining", () -> store.cancelled(1));
        assertEquals(SearchStatus.INTERRUPTED, SearchEngine.of(evaluations, store, SearchListener.none()).run(1,
                SearchListener.none()));
        assertEquals(List.of(SearchStatus.QUEUED, SearchStatus.RUNNING, SearchStatus.INTERRUPTED), store.statuses);
    }

    @Test
    void aQueuedSearchPausedOrCancelledAsItsCoordinatorTakesItUpIsNotStartedNorFailed() {
        EvaluationFactory evaluations = FakeEvaluation.factory(FakeEvaluation::hashed);
        InMemoryStore store = new InMemoryStore();
        store.create(request(2, 1), DATA);
        // The coordinator loaded it QUEUED; the pause lands before its move to RUNNING.
        store.onceAt("started", () -> store.paused(1));
        SearchEngine engine = SearchEngine.of(evaluations, store, SearchListener.none());
        List<SearchEvent> events = new ArrayList<>();
        assertEquals(SearchStatus.PAUSED, engine.run(1, events::add));
        assertEquals(List.of(), events, "nothing started, so nothing is told");
        assertEquals(List.of(SearchStatus.QUEUED, SearchStatus.PAUSED), store.statuses);
        assertTrue(store.trials.isEmpty());
        assertEquals(null, store.error, "nothing failed");
        store.unpaused(1);
        assertEquals(SearchStatus.QUEUED, store.status, "it never started");
        assertEquals(SearchStatus.SUCCEEDED, engine.run(1, SearchListener.none()), store.error);

        InMemoryStore cancelled = new InMemoryStore();
        cancelled.create(request(2, 1), DATA);
        cancelled.onceAt("started", () -> cancelled.cancelled(1));
        assertEquals(SearchStatus.INTERRUPTED, SearchEngine.of(evaluations, cancelled, SearchListener.none()).run(1,
                SearchListener.none()));
        assertEquals(List.of(SearchStatus.QUEUED, SearchStatus.INTERRUPTED), cancelled.statuses);
        assertTrue(cancelled.trials.isEmpty());
    }

    @Test
    void aCancelledSearchResumesFromItsSnapshotAndTrainsAgainWhatTheStopCutShort() {
        InMemoryStore store = new InMemoryStore();
        store.create(request(4, 2), DATA);
        EvaluationFactory evaluations = FakeEvaluation.factory(FakeEvaluation::hashed);
        SearchEngine engine = SearchEngine.of(evaluations, store, SearchListener.none());
        try (LocalTrials threads = LocalTrials.of(2, TrialWorker.of(evaluations, store, "w"), SearchListener.none(),
                "w")) {
            assertEquals(SearchStatus.INTERRUPTED, engine.coordinate(1, threads, e -> {
                if (e instanceof SearchEvent.TrialStarted s && s.number() == 3) {
                    store.cancelled(1);
                }
            }));
        }
        assertTrue(store.trials.stream().anyMatch(t -> SearchStore.CANCELLED.equals(t.failure) && !t.told),
                () -> "the trial running at the cancellation ended with it: " + store.trials.stream().map(t -> t.number + " "
                        + t.status + " " + t.failure + " " + t.told).toList());
        assertThrows(ConflictException.class, () -> store.cancelled(1), "an ended search cannot be cancelled");
        assertEquals(SearchStatus.SUCCEEDED, engine.resume(1, SearchListener.none()), store.error);
        assertEquals(4, store.trials.size());
        assertTrue(store.trials.stream().allMatch(t -> t.status == TrialStatus.SUCCEEDED && t.epochs.size() == 2),
                "the trials the cancellation cut short were trained again");
    }
}
