package org.cellforge.engine.stopping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.engine.TrialStatus;

/**
 * The median stopping rule of Google Vizier (Golovin et al. 2017): after epoch {@code e}, a trial
 * stops if its best accuracy so far is below the median, over the trials trained to the end, of
 * their mean accuracy over epochs 1..e. It needs no schedule and few completed trials to compare.
 *
 * @param graceEpochs epochs every trial trains before it can be stopped
 * @param minTrials completed trials needed before the rule stops anything
 * @param maxEpochs epochs of a full trial: a trial at its last epoch is never stopped (nothing to save)
 */
public record MedianRule(int graceEpochs, int minTrials, int maxEpochs) implements EarlyStopping {

    /** Option {@code graceEpochs}. */
    public static final Option GRACE = Option.integer("graceEpochs", 1L, 1, 1_000,
            "epochs every trial trains before it can be stopped");

    /** Option {@code minTrials}. */
    public static final Option MIN_TRIALS = Option.integer("minTrials", 3L, 1, 1_000,
            "trials trained to the end before the rule stops anything");

    @Override
    public boolean stop(LearningCurves curves, int trial, int epoch) {
        if (epoch < graceEpochs || epoch >= maxEpochs) {
            return false;
        }
        List<Double> means = new ArrayList<>();
        for (Map.Entry<Integer, LearningCurves.Curve> e : curves.others(trial)) {
            LearningCurves.Curve c = e.getValue();
            if (c.status() == TrialStatus.SUCCEEDED && c.epochs() >= epoch) {
                double sum = 0;
                for (int i = 1; i <= epoch; i++) {
                    sum += c.at(i);
                }
                means.add(sum / epoch);
            }
        }
        if (means.size() < minTrials) {
            return false;
        }
        double best = Double.NEGATIVE_INFINITY;
        LearningCurves.Curve own = curves.of(trial);
        for (int i = 1; i <= epoch; i++) {
            best = Math.max(best, own.at(i));
        }
        return best < median(means);
    }

    /** The median of {@code values}; NaN if there are none. */
    public static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
