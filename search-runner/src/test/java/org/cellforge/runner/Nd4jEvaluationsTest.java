package org.cellforge.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.evaluator.TrainSettings;
import org.junit.jupiter.api.Test;

class Nd4jEvaluationsTest {

    private static final SearchRequest TRIALS = SearchRequest.builder().batchSize(64).learningRate(0.02)
            .augmentation("none").optimizer("adam").seed(5L).threads(2).build();

    @Test
    void theFinalRetrainingTakesItsOwnSettingsWhereTheRequestGivesThem() {
        SearchRequest r = TRIALS.toBuilder().retraining(Map.of("data", "all", "augmentation", "crop-flip-cutout",
                "learningRate", 0.1, "batchSize", 256)).build().normalized();
        TrainSettings s = Nd4jEvaluations.retrainSettings(r, 30);
        assertEquals(30, s.epochs());
        assertEquals(256, s.batchSize());
        assertEquals(0.1, s.learningRate());
        assertEquals(new Augmentation(4, true, 16), s.augmentation());
        // What the retraining does not set stays the trials'.
        assertEquals(Optimizer.Kind.ADAM, s.optimizer());
        assertEquals(5L, s.seed());
        assertEquals(2, s.threads());
    }

    @Test
    void everyAugmentationARequestMayNameIsADifferentOneAndOnlyNoneChangesNothing() {
        // The mapping falls back to none: a name added to the request's list and forgotten here would
        // train without augmentation and say otherwise.
        java.util.Set<Augmentation> seen = new java.util.HashSet<>();
        for (String name : SearchRequest.AUGMENTATIONS) {
            Augmentation a = Nd4jEvaluations.augmentation(name);
            assertEquals(!name.equals("none"), a.enabled(), name);
            assertEquals(true, seen.add(a), name + " maps to the augmentation of another name");
        }
    }

    @Test
    void withoutRetrainingSettingsItTrainsAsTheTrialsDid() {
        SearchRequest r = TRIALS.normalized();
        assertEquals(Nd4jEvaluations.settings(r, 7), Nd4jEvaluations.retrainSettings(r, 7));
        SearchRequest partly = TRIALS.toBuilder().retraining(Map.of("learningRate", 0.3)).build().normalized();
        TrainSettings s = Nd4jEvaluations.retrainSettings(partly, 7);
        assertEquals(0.3, s.learningRate());
        assertEquals(64, s.batchSize());
        assertEquals(Augmentation.none(), s.augmentation());
    }

    @Test
    void everyTestTimeAugmentationARequestMayNameIsTheEvaluatorsWithAsManyViewsAsItsCostSays() {
        // The engine names them and counts their passes for flopsPerPrediction; the evaluator runs them.
        assertEquals(Retraining.TEST_TIME_AUGMENTATIONS, TestTimeAugmentation.NAMES);
        for (String name : Retraining.TEST_TIME_AUGMENTATIONS) {
            assertEquals(TestTimeAugmentation.of(name).views().size(), Retraining.testViews(name), name);
        }
    }
}
