package org.cellforge.engine.stopping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.engine.TrialStatus;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as a stopping rule: rungs lie at
 * {@code minEpochs * reduction^k} epochs; a trial reaching a rung continues only if its accuracy
 * there is among the best {@code 1/reduction} of all accuracies recorded at that rung so far. Being
 * asynchronous, it never waits for a rung to fill, so it works with one trial at a time.
 *
 * @param minEpochs the first rung
 * @param reduction the factor between rungs, and the inverse of the fraction that continues
 * @param maxEpochs epochs of a full trial; no rung lies at or beyond it
 */
public record SuccessiveHalving(int minEpochs, int reduction, int maxEpochs) implements EarlyStopping {

    /** Option {@code minEpochs}. */
    public static final Option MIN_EPOCHS = Option.integer("minEpochs", 1L, 1, 1_000,
            "epochs of the first rung, where the first trials are cut");

    /** Option {@code reduction}. */
    public static final Option REDUCTION = Option.integer("reduction", 3L, 2, 100,
            "the factor between rungs; one trial in this many continues past each rung");

    /** Whether {@code epoch} is a rung. */
    public boolean isRung(int epoch) {
        for (long r = minEpochs; r < maxEpochs; r *= reduction) {
            if (r == epoch) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean stop(LearningCurves curves, int trial, int epoch) {
        if (!isRung(epoch)) {
            return false;
        }
        double own = curves.of(trial).at(epoch);
        List<Double> rung = new ArrayList<>();
        for (Map.Entry<Integer, LearningCurves.Curve> e : curves.others(trial)) {
            LearningCurves.Curve c = e.getValue();
            if (c.status() != TrialStatus.FAILED && c.epochs() >= epoch) {
                rung.add(c.at(epoch));
            }
        }
        rung.add(own);
        int keep = (int) Math.ceil(rung.size() / (double) reduction);
        long better = rung.stream().filter(a -> a > own).count();
        return better >= keep;
    }
}
