package org.cellforge.controller;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.cellforge.space.Architecture;

/**
 * The non-dominated members of a set of evaluations, for two objectives: accuracy (higher is better)
 * and one cost (lower is better). Only trials trained to the end take part: a stopped trial's
 * accuracy was measured after fewer epochs and is not comparable.
 */
public final class ParetoFront {

    private ParetoFront() {
    }

    /**
     * The front, sorted by increasing cost; of several evaluations with equal objectives the first
     * one stays.
     */
    public static <A extends Architecture> List<Observation<A>> of(List<Observation<A>> observations,
            Cost.Kind cost) {
        List<Observation<A>> done = observations.stream()
                .filter(o -> o.outcome() == Observation.Outcome.SUCCEEDED)
                .sorted(Comparator.<Observation<A>>comparingLong(o -> cost.of(o.objectives().orElseThrow().cost()))
                        .thenComparing(o -> -o.objectives().orElseThrow().accuracy()))
                .toList();
        List<Observation<A>> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Observation<A> o : done) {
            // Sorted by cost, then accuracy descending: a member must beat every cheaper one's accuracy.
            double accuracy = o.objectives().orElseThrow().accuracy();
            if (accuracy > best) {
                front.add(o);
                best = accuracy;
            }
        }
        return front;
    }

    /**
     * The area dominated by {@code front} and bounded by the reference point ({@code minAccuracy},
     * {@code maxCost}): larger is better. Members outside the reference box add nothing.
     */
    public static <A extends Architecture> double hypervolume(List<Observation<A>> front, Cost.Kind cost,
            double minAccuracy, double maxCost) {
        List<Observation<A>> sorted = of(front, cost);
        double volume = 0;
        double previousAccuracy = minAccuracy;
        for (Observation<A> o : sorted) {
            Objectives x = o.objectives().orElseThrow();
            double c = cost.of(x.cost());
            if (c > maxCost || x.accuracy() <= previousAccuracy) {
                continue;
            }
            volume += (maxCost - c) * (x.accuracy() - previousAccuracy);
            previousAccuracy = x.accuracy();
        }
        return volume;
    }
}
