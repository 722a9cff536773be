package org.cellforge.engine.stopping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Violation;
import org.cellforge.engine.TrialStatus;
import org.junit.jupiter.api.Test;

class StoppingRulesTest {

    private static void trial(LearningCurves curves, int trial, TrialStatus end, double... accuracies) {
        for (int e = 0; e < accuracies.length; e++) {
            curves.epoch(trial, e + 1, accuracies[e]);
        }
        if (end != null) {
            curves.ended(trial, end);
        }
    }

    @Test
    void medianRuleComparesTheBestSoFarWithTheMedianOfCompletedRunningMeans() {
        MedianRule rule = new MedianRule(1, 3, 4);
        LearningCurves curves = new LearningCurves();
        trial(curves, 1, TrialStatus.SUCCEEDED, 0.5, 0.7, 0.8, 0.85);
        trial(curves, 2, TrialStatus.SUCCEEDED, 0.6, 0.7, 0.75, 0.8);
        trial(curves, 3, TrialStatus.STOPPED, 0.1);
        trial(curves, 4, null, 0.52);
        assertFalse(rule.stop(curves, 4, 1), "only two completed trials: no comparison yet");
        trial(curves, 5, TrialStatus.SUCCEEDED, 0.4, 0.6, 0.7, 0.72);
        // Running means after epoch 1: 0.5, 0.6, 0.4 -> median 0.5; trial 4 has 0.52.
        assertFalse(rule.stop(curves, 4, 1));
        trial(curves, 6, null, 0.45);
        assertTrue(rule.stop(curves, 6, 1));
        // After epoch 2 the means are 0.6, 0.65, 0.5 -> median 0.6; trial 6's best so far counts.
        curves.epoch(6, 2, 0.62);
        assertFalse(rule.stop(curves, 6, 2));
        curves.epoch(6, 3, 0.3);
        // Epoch 3 means: (0.5+0.7+0.8)/3, (0.6+0.7+0.75)/3, (0.4+0.6+0.7)/3 -> median 0.6667; best 0.62.
        assertTrue(rule.stop(curves, 6, 3));
        curves.epoch(6, 4, 0.3);
        assertFalse(rule.stop(curves, 6, 4), "the last epoch is never cut: nothing is left to save");
        assertFalse(new MedianRule(2, 1, 4).stop(curves, 6, 1), "within the grace period");
    }

    @Test
    void successiveHalvingKeepsTheBestFractionAtEachRung() {
        SuccessiveHalving rule = new SuccessiveHalving(1, 2, 8);
        assertTrue(rule.isRung(1) && rule.isRung(2) && rule.isRung(4));
        assertFalse(rule.isRung(3) || rule.isRung(8), "rungs lie below the full budget");
        LearningCurves curves = new LearningCurves();
        trial(curves, 1, null, 0.5);
        assertFalse(rule.stop(curves, 1, 1), "alone at its rung: it is the best half");
        trial(curves, 2, null, 0.4);
        assertTrue(rule.stop(curves, 2, 1), "the worse of two with reduction 2");
        trial(curves, 3, null, 0.6);
        assertFalse(rule.stop(curves, 3, 1));
        trial(curves, 4, null, 0.55);
        // Rung 1 holds 0.5, 0.4, 0.6, 0.55: the best two continue.
        assertFalse(rule.stop(curves, 4, 1));
        trial(curves, 5, TrialStatus.FAILED, 0.9);
        trial(curves, 6, null, 0.52);
        // Third of five at the rung, so among the best three; counting the failed trial would make it fourth of six.
        assertFalse(rule.stop(curves, 6, 1), "failed trials do not count at a rung");
        curves.epoch(3, 2, 0.7);
        assertFalse(rule.stop(curves, 3, 3), "epoch 3 is not a rung");
    }

    @Test
    void optionsAreValidatedPerRuleAndNameTheirField() {
        List<Violation> v = new ArrayList<>();
        EarlyStopping.validate(Map.of("rule", "median", "reduction", 3), 9, v);
        assertEquals(List.of("earlyStopping.reduction"), v.stream().map(Violation::field).toList());
        v.clear();
        EarlyStopping.validate(Map.of("rule", "bayes"), 9, v);
        assertEquals("earlyStopping.rule", v.get(0).field());
        assertTrue(v.get(0).reason().contains("[none, median, halving]"), v.get(0).reason());
        v.clear();
        EarlyStopping.validate(Map.of("rule", "halving", "reduction", 1), 9, v);
        assertEquals("earlyStopping.reduction", v.get(0).field());
        v.clear();
        EarlyStopping.validate(Map.of("rule", "halving"), 9, v);
        assertTrue(v.isEmpty());
        // A first chance to stop at or past the last epoch would stop nothing: refused, not ignored.
        EarlyStopping.validate(Map.of("rule", "halving", "minEpochs", 3), 4, v);
        assertTrue(v.isEmpty(), "a rung at epoch 3 of 4: " + v);
        EarlyStopping.validate(Map.of("rule", "halving", "minEpochs", 3), 3, v);
        assertEquals(List.of("earlyStopping.minEpochs"), v.stream().map(Violation::field).toList());
        assertTrue(v.get(0).reason().contains("below epochs (3)"), v.get(0).reason());
        v.clear();
        EarlyStopping.validate(Map.of("rule", "median", "graceEpochs", 5), 2, v);
        assertEquals(List.of("earlyStopping.graceEpochs"), v.stream().map(Violation::field).toList());
        v.clear();
        EarlyStopping.validate(Map.of("rule", "none"), 1, v);
        EarlyStopping.validate(Map.of("rule", "median"), 2, v);
        assertTrue(v.isEmpty(), v.toString());
        EarlyStopping rule = EarlyStopping.of(EarlyStopping.options(Map.of("rule", "halving", "minEpochs", "2")), 9);
        assertEquals(new SuccessiveHalving(2, 3, 9), rule);
    }
}
