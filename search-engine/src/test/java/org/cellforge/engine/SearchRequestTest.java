package org.cellforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Violation;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

    private static List<String> fields(SearchRequest r) {
        return r.validate().stream().map(Violation::field).toList();
    }

    @Test
    void anEmptyRequestIsValidAndTakesTheDefaults() {
        SearchRequest r = SearchRequest.builder().build();
        assertTrue(r.validate().isEmpty());
        SearchRequest d = r.normalized();
        assertEquals("nas-bench-201", d.space());
        assertEquals("random", d.controller());
        assertEquals(d.epochs(), d.retrainEpochs(), "the final retraining defaults to a trial's epochs");
        assertEquals("best", d.retrain());
        assertEquals(Map.of("rule", "none"), d.earlyStopping());
        assertEquals(1, d.parallelTrials());
    }

    @Test
    void theModeDefaultsToStandAloneAndToWeightSharingForDartsWhichRefusesStandAlone() {
        assertEquals(WeightSharing.STANDALONE, SearchRequest.of("nas-bench-201", "evolution", 3).normalized().mode());
        SearchRequest darts = SearchRequest.of("darts", "darts", 1).normalized();
        assertEquals(WeightSharing.SHARED, darts.mode());
        assertEquals(Map.of("epochs", 5L, "sampling", "uniform", "finalists", 3L, "checkpoints", 2L),
                darts.supernet(), "the supernet settings are stored with their defaults");
        assertEquals(List.of("mode"), fields(SearchRequest.of("darts", "darts", 1).toBuilder().mode("standalone")
                .build()));
        assertEquals(List.of("mode", "supernet.epochs", "supernet.sampling", "supernet.finalists"),
                fields(SearchRequest.of("darts", "random", 1).toBuilder().mode("one-shot")
                        .supernet(Map.of("epochs", 0, "sampling", "greedy", "finalists", "many")).build()));
        assertEquals(List.of("supernet.typo"), fields(SearchRequest.of("darts", "random", 1).toBuilder()
                .mode("weight-sharing").supernet(Map.of("typo", 1)).build()));
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        SearchRequest r = SearchRequest.builder().space("nasbench101").controller("random")
                .options(Map.of("population", 5)).trials(0).epochs(0).learningRate(-1.0).optimizer("rmsprop")
                .augmentation("mixup").dataset("svhn:/data").warmStart(-1)
                .earlyStopping(Map.of("rule", "median", "minTrials", 0)).retrainEpochs(-1).retrain("all")
                .parallelTrials(0).build();
        assertEquals(List.of("space", "options.population", "trials", "epochs", "dataset", "optimizer",
                "learningRate", "augmentation", "warmStart", "earlyStopping.minTrials", "retrainEpochs", "retrain",
                "parallelTrials"), fields(r));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, r::normalized);
        assertEquals(13, e.violations().size());
        assertEquals(List.of("controller"), fields(SearchRequest.builder().controller("bayes").build()));
        assertEquals(List.of("validationSize"), fields(SearchRequest.builder().trainSize(59_000)
                .validationSize(5_000).build()));
    }

    @Test
    void normalizedRequestsCarryTypedOptionsAndTheirDefaults() {
        SearchRequest d = SearchRequest.builder().epochs(4).earlyStopping(Map.of("rule", "HALVING", "reduction", "4"))
                .build()
                .normalized();
        assertEquals(Map.of("rule", "halving", "minEpochs", 1L, "reduction", 4L), d.earlyStopping());
        assertEquals(d, d.normalized(), "normalizing twice changes nothing");
    }
}
