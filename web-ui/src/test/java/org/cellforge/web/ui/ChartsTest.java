package org.cellforge.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.SearchRepository.TrialPoint;
import org.cellforge.space.json.Json;
import org.cellforge.web.search.SupernetEpochInfo;
import org.cellforge.web.search.TrialInfo;
import org.junit.jupiter.api.Test;

class ChartsTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static TrialPoint trial(int n, TrialStatus status, Double accuracy, Double estimate, long params,
            int minute) {
        return new TrialPoint(n, "arch-" + n, status, accuracy, estimate, params, params * 100,
                status == TrialStatus.RUNNING ? null : START.plusSeconds(60L * minute));
    }

    private static final List<TrialPoint> POINTS = List.of(
            trial(1, TrialStatus.SUCCEEDED, 0.80, null, 5000, 3),
            trial(2, TrialStatus.FAILED, null, null, 9000, 4),
            trial(3, TrialStatus.SUCCEEDED, 0.85, null, 20000, 9),
            trial(4, TrialStatus.STOPPED, 0.60, null, 1000, 5),
            trial(5, TrialStatus.SUCCEEDED, 0.83, null, 4000, 12),
            trial(6, TrialStatus.RUNNING, null, null, 3000, 0));

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> series(String option) {
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(option)).get("series");
    }

    private static Map<String, Object> named(List<Map<String, Object>> series, String name) {
        return series.stream().filter(x -> name.equals(x.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + " in " + series));
    }

    private static List<Integer> trialsOf(Map<String, Object> series) {
        return data(series).stream().map(p -> ((Number) p.get("trial")).intValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> data(Map<String, Object> series) {
        return (List<Map<String, Object>>) series.get("data");
    }

    @SuppressWarnings("unchecked")
    private static List<Number> values(Object point) {
        return point instanceof Map<?, ?> m ? (List<Number>) m.get("value") : (List<Number>) point;
    }

    @Test
    void everyTrainedTrialIsAPointAStoppedOneIsDrawnApartAndTheBestSoFarCountsOnlyTrialsTrainedToTheEnd() {
        List<Map<String, Object>> s = series(Charts.accuracyByTrial(POINTS));
        assertEquals(List.of(Charts.TRIALS, Charts.STOPPED, "best so far (stand-alone validation)"),
                s.stream().map(x -> x.get("name")).toList());
        assertEquals(List.of(1, 3, 5), trialsOf(s.get(0)));
        // Trial 4's accuracy is from fewer epochs: a marker of its own, not the trained trials' circle.
        assertEquals(List.of(4), trialsOf(s.get(1)));
        assertEquals("triangle", s.get(1).get("symbol"));
        assertEquals(null, s.get(0).get("symbol"));
        List<Object> best = new ArrayList<>((List<?>) s.get(2).get("data"));
        // Trial 4 stopped early at 0.60 and trial 5 scored below trial 3: the line rises at trials 1 and 3
        // and holds 0.85 to the last finished trial.
        assertEquals(List.of(0.80, 0.85, 0.85), best.stream().map(p -> values(p).get(1).doubleValue()).toList());
        assertEquals(List.of(1, 3, 5), best.stream().map(p -> values(p).get(0).intValue()).toList());
    }

    @Test
    void theBestSoFarLineOfAManyTrialSearchHasAPointPerRiseNotPerTrial() {
        List<TrialPoint> many = new ArrayList<>();
        for (int n = 1; n <= 10_000; n++) {
            many.add(trial(n, TrialStatus.SUCCEEDED, n % 1000 == 0 ? 0.5 + n / 100_000.0 : 0.1, null, 100, n));
        }
        List<Map<String, Object>> s = series(Charts.accuracyByTrial(many));
        assertEquals(10_000, data(s.get(0)).size());
        List<?> best = (List<?>) s.get(1).get("data");
        // 0.1 at trial 1, a rise at every 1000th trial, and the last point is the last rise itself.
        assertEquals(11, best.size());
        assertEquals(0.6, values(best.getLast()).get(1).doubleValue(), 1e-9);
    }

    @Test
    void supernetEstimatesHaveASeriesOfTheirOwn() {
        List<TrialPoint> shared = List.of(trial(1, TrialStatus.SUCCEEDED, null, 0.5, 100, 1),
                trial(2, TrialStatus.SUCCEEDED, 0.9, 0.4, 100, 2));
        List<Map<String, Object>> s = series(Charts.accuracyByTrial(shared));
        assertEquals(1, data(s.get(0)).size());
        assertEquals(Charts.ESTIMATES, s.get(1).get("name"));
        assertEquals(List.of(0.5, 0.4), data(s.get(1)).stream().map(p -> values(p).get(1).doubleValue()).toList());
    }

    @Test
    void timeAxisIsMinutesSinceTheStartInTheOrderTrialsFinished() {
        List<Map<String, Object>> s = series(Charts.bestOverTime(POINTS, START));
        assertEquals(List.of(3.0, 9.0, 12.0), data(s.get(0)).stream().map(p -> values(p).get(0).doubleValue())
                .toList());
        assertEquals(List.of(5.0), data(named(s, Charts.STOPPED)).stream().map(p -> values(p).get(0).doubleValue())
                .toList());
        List<?> best = (List<?>) s.getLast().get("data");
        assertEquals(0.85, values(best.getLast()).get(1).doubleValue());
    }

    @Test
    void theFrontIsDrawnThroughItsMembersInTheFrontsOrder() {
        List<Map<String, Object>> s = series(Charts.accuracyByCost(POINTS, List.of(1, 5, 3), "parameters"));
        assertEquals(List.of(1, 3, 5), trialsOf(s.get(0)));
        assertEquals(List.of(4), trialsOf(named(s, Charts.STOPPED)));
        Map<String, Object> front = named(s, "Pareto front");
        assertEquals(List.of(1, 5, 3), trialsOf(front));
        assertEquals(List.of(5000, 4000, 20000), data(front).stream().map(p -> values(p).get(0).intValue())
                .toList());
        List<Map<String, Object>> byFlops = series(Charts.accuracyByCost(POINTS, List.of(1), "flops"));
        assertEquals(500000, values(data(named(byFlops, "Pareto front")).getFirst()).get(0).intValue());
    }

    @Test
    void learningCurvesHaveOneLinePerTrial() {
        Map<Integer, List<TrialInfo.Epoch>> curves = new java.util.TreeMap<>(Map.of(
                3, List.of(new TrialInfo.Epoch(1, 1.0, 0.5, 0.6, 1, 1), new TrialInfo.Epoch(2, 0.8, 0.6, 0.7, 1, 1)),
                7, List.of(new TrialInfo.Epoch(1, 1.0, 0.5, 0.55, 1, 1))));
        List<Map<String, Object>> s = series(Charts.learningCurves(curves));
        assertEquals(List.of("trial 3", "trial 7"), s.stream().map(x -> x.get("name")).toList());
        assertEquals(List.of(0.6, 0.7), data(s.get(0)).stream().map(p -> values(p).get(1).doubleValue()).toList());
    }

    @Test
    void dartsWeightsGetAChartPerCellAndEdgeWithALinePerOperation() {
        List<Map<String, Object>> alpha1 = List.of(
                Map.of("cell", "normal", "ops", List.of("a", "b"), "weights", List.of(List.of(0.5, 0.5),
                        List.of(0.4, 0.6))),
                Map.of("cell", "reduce", "ops", List.of("a", "b"), "weights", List.of(List.of(0.3, 0.7))));
        List<Map<String, Object>> alpha2 = List.of(
                Map.of("cell", "normal", "ops", List.of("a", "b"), "weights", List.of(List.of(0.9, 0.1),
                        List.of(0.2, 0.8))),
                Map.of("cell", "reduce", "ops", List.of("a", "b"), "weights", List.of(List.of(0.1, 0.9))));
        List<String> charts = Charts.alphas(List.of(
                new SupernetEpochInfo(1, 2, 1.0, 0.5, 0.5, TrialInfo.SUPERNET_ESTIMATE, 1.0, alpha1),
                new SupernetEpochInfo(2, 2, 1.0, 0.5, 0.5, TrialInfo.SUPERNET_ESTIMATE, 1.0, alpha2)));
        assertEquals(3, charts.size());
        assertTrue(charts.get(2).contains("reduce cell, edge 0"), charts.get(2));
        List<Map<String, Object>> s = series(charts.get(1));
        assertEquals(List.of("a", "b"), s.stream().map(x -> x.get("name")).toList());
        assertEquals(List.of(0.6, 0.8), ((List<?>) s.get(1).get("data")).stream()
                .map(p -> values(p).get(1).doubleValue()).toList());
    }
}
