package org.cellforge.web.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.SearchRepository.TrialPoint;
import org.cellforge.space.json.Json;
import org.cellforge.web.search.SupernetEpochInfo;
import org.cellforge.web.search.TrialInfo;

/**
 * ECharts options for the search pages, as JSON. Every series name says the kind of accuracy it
 * plots, and a supernet estimate never shares a series with a stand-alone validation accuracy. Points
 * carry their trial number, so a click opens that trial.
 */
final class Charts {

    /** Series name of trials' stand-alone validation accuracies. */
    static final String TRIALS = "trial (stand-alone validation)";

    /**
     * Series name of trials stopped early: their accuracy is from fewer epochs than the others', so they
     * are drawn apart, with a marker of their own.
     */
    static final String STOPPED = "stopped early (stand-alone validation, last epoch)";

    /** Series name of trials' supernet estimates. */
    static final String ESTIMATES = "trial (supernet estimate)";

    private Charts() {
    }

    /** Each trained trial's accuracy against its number, with the best so far as a step line. */
    static String accuracyByTrial(List<TrialPoint> points) {
        TrialSeries standAlone = new TrialSeries();
        List<Object> estimates = new ArrayList<>();
        BestSoFar best = new BestSoFar();
        for (TrialPoint p : points) {
            if (hasStandAlone(p)) {
                standAlone.add(p, point(p.number(), p.validationAccuracy(), p.number()));
            }
            if (p.supernetEstimate() != null) {
                estimates.add(point(p.number(), p.supernetEstimate(), p.number()));
            }
            if (p.finishedAt() != null) {
                best.add(p.number(), p);
            }
        }
        List<Object> series = standAlone.series();
        if (!estimates.isEmpty()) {
            series.add(scatter(ESTIMATES, estimates));
        }
        series.add(step("best so far (stand-alone validation)", best.line()));
        return option("Accuracy against trials", axis("value", "trial"), accuracyAxis(), series);
    }

    /** The best stand-alone validation accuracy so far against minutes since the search started. */
    static String bestOverTime(List<TrialPoint> points, Instant startedAt) {
        List<TrialPoint> finished = new ArrayList<>(points.stream().filter(p -> p.finishedAt() != null).toList());
        finished.sort(java.util.Comparator.comparing(TrialPoint::finishedAt));
        Instant start = startedAt != null ? startedAt : finished.isEmpty() ? Instant.EPOCH : finished.getFirst()
                .finishedAt();
        TrialSeries trials = new TrialSeries();
        BestSoFar best = new BestSoFar();
        for (TrialPoint p : finished) {
            double minutes = round(Duration.between(start, p.finishedAt()).toMillis() / 60000.0);
            if (hasStandAlone(p)) {
                trials.add(p, point(minutes, p.validationAccuracy(), p.number()));
            }
            best.add(minutes, p);
        }
        List<Object> series = trials.series();
        series.add(step("best so far (stand-alone validation)", best.line()));
        return option("Accuracy against time", axis("value", "minutes since start"), accuracyAxis(), series);
    }

    /** Accuracy against the front's cost, the Pareto front drawn through its members. */
    static String accuracyByCost(List<TrialPoint> points, List<Integer> front, String cost) {
        boolean flops = "flops".equals(cost);
        Set<Integer> onFront = new HashSet<>(front);
        TrialSeries all = new TrialSeries();
        Map<Integer, Object> frontPoints = new LinkedHashMap<>();
        for (TrialPoint p : points) {
            Long c = flops ? p.flops() : p.parameters();
            if (!hasStandAlone(p) || c == null) {
                continue;
            }
            Object point = point(c, p.validationAccuracy(), p.number());
            all.add(p, point);
            if (onFront.contains(p.number())) {
                frontPoints.put(p.number(), point);
            }
        }
        List<Object> frontLine = new ArrayList<>();
        front.forEach(n -> {
            if (frontPoints.containsKey(n)) {
                frontLine.add(frontPoints.get(n));
            }
        });
        Map<String, Object> line = series("line", "Pareto front", frontLine);
        line.put("symbolSize", 10);
        line.put("lineStyle", Map.of("width", 2));
        line.put("step", "end");
        Map<String, Object> x = axis("log", flops ? "multiply-accumulates per image" : "parameters");
        List<Object> series = all.series();
        series.add(line);
        return option("Accuracy against " + (flops ? "FLOPs" : "parameters"), x, accuracyAxis(), series);
    }

    /** Stand-alone validation accuracy after each epoch, one line per trial. */
    static String learningCurves(Map<Integer, List<TrialInfo.Epoch>> curves) {
        List<Object> series = new ArrayList<>();
        curves.forEach((number, epochs) -> {
            List<Object> data = new ArrayList<>();
            for (TrialInfo.Epoch e : epochs) {
                data.add(point(e.epoch(), e.validationAccuracy(), number));
            }
            Map<String, Object> s = series("line", "trial " + number, data);
            s.put("symbolSize", 6);
            series.add(s);
        });
        return option("Learning curves (stand-alone validation)", axis("value", "epoch"), accuracyAxis(), series);
    }

    /** One trial's accuracy after each epoch: stand-alone validation, and on its training batches as they were fitted. */
    static String trialCurve(int number, List<TrialInfo.Epoch> epochs) {
        List<Object> validation = new ArrayList<>();
        List<Object> train = new ArrayList<>();
        for (TrialInfo.Epoch e : epochs) {
            validation.add(List.of(e.epoch(), e.validationAccuracy()));
            train.add(List.of(e.epoch(), e.trainAccuracy()));
        }
        return option("Trial " + number + ": accuracy per epoch", axis("value", "epoch"), accuracyAxis(), List.of(
                series("line", "stand-alone validation", validation), series("line", "training batches", train)));
    }

    /**
     * DARTS's architecture weights (softmax of alpha) of every edge over the supernet's epochs: one chart
     * per cell and edge, one line per operation, in the order cells and edges are stored.
     */
    @SuppressWarnings("unchecked")
    static List<String> alphas(List<SupernetEpochInfo> epochs) {
        Map<String, Map<String, List<Object>>> byChart = new LinkedHashMap<>();
        for (SupernetEpochInfo e : epochs) {
            if (e.alpha() == null) {
                continue;
            }
            for (Map<String, Object> cell : e.alpha()) {
                List<String> ops = (List<String>) cell.get("ops");
                List<List<Number>> weights = (List<List<Number>>) cell.get("weights");
                for (int edge = 0; edge < weights.size(); edge++) {
                    Map<String, List<Object>> lines = byChart.computeIfAbsent(cell.get("cell") + " cell, edge "
                            + edge, k -> new LinkedHashMap<>());
                    for (int op = 0; op < ops.size(); op++) {
                        lines.computeIfAbsent(ops.get(op), k -> new ArrayList<>())
                                .add(List.of(e.epoch(), round(weights.get(edge).get(op).doubleValue())));
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        byChart.forEach((title, lines) -> {
            List<Object> series = new ArrayList<>();
            lines.forEach((op, data) -> series.add(series("line", op, data)));
            Map<String, Object> y = axis("value", "weight");
            y.put("min", 0);
            y.put("max", 1);
            out.add(option(title, axis("value", "epoch"), y, series));
        });
        return out;
    }

    /**
     * The best stand-alone validation accuracy of trials trained to the end, as a step line with a
     * point where it rises and one at the last trial: a search of 100,000 trials draws a line of a few
     * dozen points, not 100,000.
     */
    private static final class BestSoFar {
        private final List<Object> line = new ArrayList<>();
        private double best = Double.NaN;
        private Number lastX;

        void add(Number x, TrialPoint p) {
            if (p.status() == TrialStatus.SUCCEEDED && p.validationAccuracy() != null
                    && !(p.validationAccuracy() <= best)) {
                best = p.validationAccuracy();
                line.add(List.of(x, round(best)));
                lastX = null;
            } else if (!Double.isNaN(best)) {
                lastX = x;
            }
        }

        List<Object> line() {
            List<Object> out = new ArrayList<>(line);
            if (lastX != null) {
                out.add(List.of(lastX, round(best)));
            }
            return out;
        }
    }

    /** Points of trials trained to the end, and apart from them those of trials stopped early. */
    private static final class TrialSeries {
        private final List<Object> trained = new ArrayList<>();
        private final List<Object> stopped = new ArrayList<>();

        void add(TrialPoint p, Object point) {
            (p.status() == TrialStatus.STOPPED ? stopped : trained).add(point);
        }

        /** The trained trials' series, then the stopped trials' if there are any; a list to add to. */
        List<Object> series() {
            List<Object> out = new ArrayList<>();
            out.add(scatter(TRIALS, trained));
            if (!stopped.isEmpty()) {
                Map<String, Object> s = scatter(STOPPED, stopped);
                s.put("symbol", "triangle");
                out.add(s);
            }
            return out;
        }
    }

    private static boolean hasStandAlone(TrialPoint p) {
        return p.validationAccuracy() != null
                && (p.status() == TrialStatus.SUCCEEDED || p.status() == TrialStatus.STOPPED);
    }

    private static Map<String, Object> point(Number x, double y, int trial) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("value", List.of(x, round(y)));
        p.put("trial", trial);
        return p;
    }

    private static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }

    private static Map<String, Object> scatter(String name, List<Object> data) {
        Map<String, Object> s = series("scatter", name, data);
        s.put("symbolSize", 8);
        // Above this many points ECharts draws them in one batch: a search of 100,000 trials stays usable.
        s.put("large", true);
        s.put("largeThreshold", 2000);
        return s;
    }

    private static Map<String, Object> step(String name, List<Object> data) {
        Map<String, Object> s = series("line", name, data);
        s.put("step", "end");
        s.put("showSymbol", false);
        return s;
    }

    private static Map<String, Object> series(String type, String name, List<Object> data) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        s.put("name", name);
        s.put("data", data);
        return s;
    }

    private static Map<String, Object> axis(String type, String name) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", type);
        a.put("name", name);
        a.put("nameLocation", "middle");
        a.put("nameGap", 28);
        a.put("scale", true);
        return a;
    }

    private static Map<String, Object> accuracyAxis() {
        Map<String, Object> a = axis("value", "accuracy");
        a.put("nameGap", 40);
        return a;
    }

    private static String option(String title, Map<String, Object> x, Map<String, Object> y, List<Object> series) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("title", Map.of("text", title, "left", "center", "textStyle", Map.of("fontSize", 14)));
        o.put("tooltip", Map.of("trigger", "item"));
        // A plain legend wraps onto a second line; a scrolling one hid the third series of a chart half
        // the page wide behind a page button.
        o.put("legend", Map.of("bottom", 0, "type", "plain"));
        o.put("grid", Map.of("left", 60, "right", 24, "top", 40, "bottom", 84));
        o.put("animation", false);
        o.put("xAxis", x);
        o.put("yAxis", y);
        o.put("series", series);
        return Json.write(o);
    }
}
