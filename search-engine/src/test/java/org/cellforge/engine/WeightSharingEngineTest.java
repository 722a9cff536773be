package org.cellforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The engine's weight-sharing mode on a fake supernet: phases, kinds of accuracy, sampling and resume. */
class WeightSharingEngineTest {

    private static final DatasetInfo DATA = SearchEngineTest.DATA;

    private static SearchRequest request(String controller, String sampling, int trials) {
        return SearchRequest.builder().space("nas-bench-201").controller(controller).trials(trials).epochs(2)
                .seed(5L).mode(WeightSharing.SHARED)
                .supernet(Map.of("epochs", 3, "sampling", sampling, "finalists", 2, "checkpoints", 2))
                .build().normalized();
    }

    @Test
    void trialsAreSupernetEstimatesAndOnlyTheBestEstimatesAreTrainedThenTheBestOfThoseRetrained() {
        InMemoryStore store = new InMemoryStore();
        store.create(request("random", "uniform", 6), DATA);
        List<FakeEvaluation<?>> opened = new ArrayList<>();
        SearchEngine engine = SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed, opened), store,
                SearchListener.none());
        List<SearchEvent> events = new ArrayList<>();
        assertEquals(SearchStatus.SUCCEEDED, engine.run(1, events::add));

        assertEquals(3, store.supernetEpochs.size());
        assertEquals(15, opened.get(0).trainedPaths.size(), "3 epochs of 5 steps, one path each");
        assertEquals(List.of(2, 3), store.checkpoints.stream().map(SupernetCheckpoint::epoch).toList(),
                "the newest two checkpoints are kept");
        assertEquals(6, store.trials.size());
        store.trials.forEach(t -> assertTrue(t.estimate != null && t.status == TrialStatus.SUCCEEDED));
        List<InMemoryStore.Trial> byEstimate = store.trials.stream()
                .sorted(Comparator.comparingDouble((InMemoryStore.Trial t) -> -t.estimate)).toList();
        // The two best estimates were trained stand-alone (accuracy = the fake's target), the others not.
        for (int i = 0; i < byEstimate.size(); i++) {
            InMemoryStore.Trial t = byEstimate.get(i);
            if (i < 2) {
                assertEquals(FakeEvaluation.hashed(t.arch), t.accuracy, 1e-12, t.arch);
                assertEquals(2, t.epochs.size());
            } else {
                assertNull(t.accuracy, t.arch);
            }
        }
        InMemoryStore.Trial chosen = byEstimate.subList(0, 2).stream()
                .max(Comparator.comparingDouble(t -> t.accuracy)).orElseThrow();
        assertEquals(1, store.retrains.size());
        assertEquals(chosen.number, store.retrains.get(0).trialNumber, "chosen by stand-alone validation");
        assertEquals(6, events.stream().filter(e -> e instanceof SearchEvent.TrialFinished f && f.estimate()).count());
        assertEquals(2, events.stream().filter(e -> e instanceof SearchEvent.FinalistStarted).count());
    }

    @Test
    void withControllerSamplingTheControllerProposesThePathsAndIsRewardedForEach() {
        InMemoryStore store = new InMemoryStore();
        store.create(request("reinforce", "controller", 4), DATA);
        List<FakeEvaluation<?>> opened = new ArrayList<>();
        SearchEngine engine = SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed, opened), store,
                SearchListener.none());
        assertEquals(SearchStatus.SUCCEEDED, engine.run(1));
        // REINFORCE counts what it was told; 15 rewarded paths before the search's own 4 proposals.
        Object updates = store.checkpoints.getLast().controller().orElseThrow().state().get("tells");
        assertNotEquals(null, updates, "the sampling controller's state is checkpointed: "
                + store.checkpoints.getLast().controller());
        assertEquals(15L, ((Number) updates).longValue());
        // Uniform sampling of the same seed draws other paths: these came from the policy.
        InMemoryStore uniformStore = new InMemoryStore();
        uniformStore.create(request("reinforce", "uniform", 4), DATA);
        List<FakeEvaluation<?>> uniform = new ArrayList<>();
        SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed, uniform), uniformStore, SearchListener.none())
                .run(1);
        assertNotEquals(uniform.get(0).trainedPaths, opened.get(0).trainedPaths);
    }

    @Test
    void aSearchInterruptedAfterASupernetEpochResumesFromItsCheckpointAsIfUninterrupted() {
        for (String sampling : List.of("uniform", "controller")) {
            InMemoryStore straight = new InMemoryStore();
            straight.create(request("reinforce", sampling, 5), DATA);
            List<FakeEvaluation<?>> whole = new ArrayList<>();
            SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed, whole), straight, SearchListener.none())
                    .run(1);

            InMemoryStore store = new InMemoryStore();
            store.create(request("reinforce", sampling, 5), DATA);
            List<FakeEvaluation<?>> parts = new ArrayList<>();
            SearchEngine engine = SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed, parts), store,
                    SearchListener.none());
            SearchStatus first = engine.run(1, e -> {
                if (e instanceof SearchEvent.SupernetTrained t && t.epoch().epoch() == 1) {
                    Thread.currentThread().interrupt();
                }
            });
            boolean wasInterrupted = Thread.interrupted();
            assertEquals(SearchStatus.INTERRUPTED, first, sampling);
            assertTrue(wasInterrupted, "the engine keeps the thread's interrupt");
            assertEquals(List.of(1), store.checkpoints.stream().map(SupernetCheckpoint::epoch).toList());
            assertTrue(store.trials.isEmpty());

            assertEquals(SearchStatus.SUCCEEDED, engine.resume(1, SearchListener.none()), sampling);
            assertEquals(whole.get(0).trainedPaths.subList(5, 15), parts.get(1).trainedPaths, sampling
                    + ": the resumed run trains the paths the uninterrupted one trained after epoch 1");
            assertEquals(arches(straight), arches(store), sampling);
            assertEquals(estimates(straight), estimates(store), sampling);
            assertEquals(straight.retrains.get(0).arch, store.retrains.get(0).arch, sampling);
        }
    }

    @Test
    void aSearchCancelledWhileItTrainsItsFinalistsOrRetrainsEndsInterrupted() {
        for (Class<?> at : List.of(SearchEvent.FinalistStarted.class, SearchEvent.RetrainStarted.class)) {
            InMemoryStore store = new InMemoryStore();
            store.create(request("random", "uniform", 4), DATA);
            SearchEngine engine = SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed), store,
                    SearchListener.none());
            SearchStatus status = engine.run(1, e -> {
                if (at.isInstance(e)) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            assertEquals(SearchStatus.INTERRUPTED, status, at.getSimpleName());
            assertFalse(store.statuses.contains(SearchStatus.SUCCEEDED), at.getSimpleName());
            store.retrains.forEach(r -> assertFalse(r.result != null && r.result.succeeded(), "no test after a cancel"));
        }
    }

    @Test
    void onlyAnInterruptedSearchResumes() {
        InMemoryStore store = new InMemoryStore();
        store.create(request("random", "uniform", 2), DATA);
        SearchEngine engine = SearchEngine.of(FakeEvaluation.factory(FakeEvaluation::hashed), store,
                SearchListener.none());
        assertThrows(ConflictException.class, () -> engine.resume(1, SearchListener.none()), "QUEUED");
        engine.run(1);
        ConflictException done = assertThrows(ConflictException.class, () -> engine.resume(1, SearchListener.none()));
        assertTrue(done.getMessage().contains("SUCCEEDED"), done.getMessage());

    }

    private static List<String> arches(InMemoryStore s) {
        return s.trials.stream().map(t -> t.arch).toList();
    }

    private static List<Double> estimates(InMemoryStore s) {
        return s.trials.stream().map(t -> t.estimate).toList();
    }
}
