package org.cellforge.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Nb201TrainerTest {

    private static final Nb201Cell CELL = Nb201Space.standard()
            .parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");

    private static Split split;

    @BeforeAll
    static void loadData() {
        Path dir = FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is missing: install the " + FashionMnist.DEBIAN_PACKAGE + " package"));
        ImageSet all = FashionMnist.train(dir);
        assertEquals(60_000, all.size());
        split = Split.of(all, 4_000, 1_000, 17);
    }

    @Test
    void oneEpochOnASubsetBeatsChanceClearly() {
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingResult result = Nb201Trainer.train(CELL, new Nb201Macro(8, 1, 1, 10), split,
                TrainSettings.defaults(1, 3).withBatchSize(64), seen::add);
        assertTrue(result.succeeded(), () -> result.failure().orElse(""));
        assertEquals(1, seen.size());
        assertEquals(result.validationAccuracy(), seen.get(0).validationAccuracy());
        assertTrue(result.validationAccuracy() > 0.5,
                "validation accuracy " + result.validationAccuracy() + " should clearly beat 10% chance");
        assertTrue(seen.get(0).trainLoss() < 2.3, "mean training loss should fall below ln(10)");
        assertEquals(55_218, result.parameters());
    }

    @Test
    void sameSeedGivesTheSameMetrics() {
        Split small = Split.of(split.train(), 1_000, 500, 2);
        TrainSettings settings = TrainSettings.defaults(1, 11).withBatchSize(50);
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        TrainingResult a = Nb201Trainer.train(CELL, macro, small, settings, EpochListener.none());
        TrainingResult b = Nb201Trainer.train(CELL, macro, small, settings, EpochListener.none());
        assertEquals(a.validationAccuracy(), b.validationAccuracy());
        assertEquals(a.epochs().get(0).trainLoss(), b.epochs().get(0).trainLoss());
    }

    @Test
    void aDivergingTrialEndsAsFailedWithTheReason() {
        Split small = Split.of(split.train(), 500, 100, 2);
        TrainSettings explosive = TrainSettings.defaults(1, 1).withBatchSize(50).withOptimizer(Optimizer.Kind.SGD, 1e6);
        TrainingResult result = Nb201Trainer.train(CELL, new Nb201Macro(4, 1, 1, 10), small, explosive,
                EpochListener.none());
        assertFalse(result.succeeded());
        assertTrue(result.failure().orElseThrow().contains("diverged"), result.failure().orElseThrow());
        assertTrue(Double.isNaN(result.validationAccuracy()));
    }

    @Test
    void aListenerCanStopTrainingAfterAnEpoch() {
        Split small = Split.of(split.train(), 500, 200, 2);
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingResult result = Nb201Trainer.train(CELL, new Nb201Macro(4, 1, 1, 10), small,
                TrainSettings.defaults(3, 1).withBatchSize(50), m -> {
                    seen.add(m);
                    return false;
                });
        assertTrue(result.succeeded());
        assertEquals(1, seen.size());
        assertEquals(1, result.epochs().size());
        assertEquals(seen.get(0).validationAccuracy(), result.validationAccuracy());
    }

    @Test
    void aThreadSettingHoldsDuringItsTrainingOnlyAndZeroMeansTheDefault() {
        int before = Trainer.threads();
        Split small = Split.of(split.train(), 200, 100, 2);
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        List<Integer> during = new ArrayList<>();
        int other = before == 1 ? 2 : 1;
        Nb201Trainer.train(CELL, macro, small, TrainSettings.defaults(1, 1).withBatchSize(50).withThreads(other),
                EpochListener.observing(m -> during.add(Trainer.threads())));
        assertEquals(List.of(other), during);
        assertEquals(before, Trainer.threads(), "the setting ends with its training");
        // A search asking for the default gets it even while another setting is in force around it.
        try (Trainer.ThreadSetting outer = Trainer.useThreads(other)) {
            Nb201Trainer.train(CELL, macro, small, TrainSettings.defaults(1, 1).withBatchSize(50),
                    EpochListener.observing(m -> during.add(Trainer.threads())));
        }
        assertEquals(List.of(other, before), during);
        assertEquals(before, Trainer.threads());
    }

    @Test
    void trainingWithoutValidationReportsNoValidationAccuracy() {
        ImageSet train = Split.of(split.train(), 300, 100, 2).train();
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingResult result = Trainer.trainWithoutValidation(
                org.cellforge.evaluator.nb201.Nb201Network.create(CELL, new Nb201Macro(4, 1, 1, 10), 1), train,
                TrainSettings.defaults(2, 1).withBatchSize(50), EpochListener.observing(seen::add));
        assertTrue(result.succeeded());
        assertEquals(2, seen.size());
        assertTrue(seen.stream().allMatch(m -> Double.isNaN(m.validationAccuracy())));
        assertTrue(seen.get(1).trainLoss() < 2.4);
    }

    @Test
    void aTrainingPlannedAgainAfterItsFirstEpochTrainsTheNewLength() {
        ImageSet train = Split.of(split.train(), 300, 100, 2).train();
        for (int[] plan : new int[][] {{2, 3}, {3, 2}, {3, 0}}) {
            List<Integer> asked = new ArrayList<>();
            TrainingResult result = Trainer.trainWithoutValidation(
                    org.cellforge.evaluator.nb201.Nb201Network.create(CELL, new Nb201Macro(4, 1, 1, 10), 1), train,
                    TrainSettings.defaults(plan[0], 1).withBatchSize(50), new EpochListener() {
                        @Override
                        public boolean epochDone(EpochMetrics metrics) {
                            return true;
                        }

                        @Override
                        public int epochs(EpochMetrics metrics, int planned) {
                            asked.add(planned);
                            return metrics.epoch() == 1 ? plan[1] : planned;
                        }
                    });
            assertTrue(result.succeeded(), () -> result.failure().orElse(""));
            int expected = Math.max(1, plan[1]);
            assertEquals(expected, result.epochs().size(), plan[0] + " planned, then " + plan[1]);
            // Asked after every epoch it went on from, with the length as planned until then.
            List<Integer> told = new ArrayList<>();
            told.add(plan[0]);
            for (int e = 2; e <= expected; e++) {
                told.add(expected);
            }
            assertEquals(told, asked);
        }
    }
}
