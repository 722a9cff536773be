package org.cellforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Violation;
import org.junit.jupiter.api.Test;

class SearchRequestJsonTest {

    private static List<String> fields(String json) {
        return assertThrows(InvalidRequestException.class, () -> SearchRequestJson.read(json)).violations().stream()
                .map(Violation::field).toList();
    }

    private static List<String> validationFields(String json) {
        return SearchRequestJson.read(json).validate().stream().map(Violation::field).toList();
    }

    @Test
    void aRequestWithEveryFieldSetSurvivesTheRoundTrip() {
        SearchRequest r = SearchRequest.builder().space("darts").controller("nsga2")
                // Whole numbers in settings read back as the smallest type that holds them, as JSON has one.
                .options(Map.of("population", 8, "maxParameters", 100_000)).trials(30).epochs(3).seed(1L)
                .channels(8).cellsPerStage(2).batchSize(96).trainSize(10_000).validationSize(5_000)
                .dataset("fashion-mnist").optimizer("adam").learningRate(0.0025).augmentation("crop-flip").threads(2)
                .splitSeed(7L).warmStart(50).earlyStopping(Map.of("rule", "halving", "minEpochs", 1))
                .retrainEpochs(35).retrain("best").parallelTrials(2).mode("standalone")
                .supernet(Map.of("epochs", 5)).retraining(Map.of("data", "all", "learningRate", 0.1))
                .recipe(Map.of("name", "fmnist-small", "version", 3, "description", "a test")).build();
        SearchRequest back = SearchRequestJson.read(SearchRequestJson.write(r));
        assertEquals(r, back);
        assertEquals(SearchRequestJson.write(r), SearchRequestJson.write(back), "the same request, the same text");
        assertTrue(back.validate().isEmpty(), back.validate().toString());
        assertEquals(r.normalized(), back.normalized());
    }

    @Test
    void absentFieldsStayAbsentAndTakeTheDefaults() {
        SearchRequest r = SearchRequestJson.read("{\"trials\": 4}");
        assertEquals(SearchRequest.builder().trials(4).build(), r);
        assertEquals("{\n  \"trials\": 4\n}\n", SearchRequestJson.write(r));
    }

    @Test
    void unknownFieldsAndWrongTypesAreNamedEachOnce() {
        assertEquals(List.of("trails", "epochs", "seed", "learningRate", "space", "options", "channels"),
                fields("{\"trails\": 3, \"epochs\": \"three\", \"seed\": 1.5, \"learningRate\": \"fast\","
                        + " \"space\": 201, \"options\": [1], \"channels\": 99999999999}"));
        assertEquals(List.of("body"), fields("[1, 2]"));
        assertEquals(List.of("body"), fields("{\"trials\": 3,}"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SearchRequestJson.read("{\n  \"trials\": 3\n  \"epochs\": 1\n}"));
        assertTrue(e.violations().get(0).reason().startsWith("not valid JSON at line 3, column "),
                e.violations().get(0).reason());
    }

    @Test
    void aWholeNumberFieldRefusesFractionsAsRestDoes() {
        assertEquals(List.of("trials", "epochs"), fields("{\"trials\": 3.0, \"epochs\": 1.5}"));
        assertEquals(List.of("seed"), fields("{\"seed\": 18446744073709551617}"));
        assertEquals(2.0, SearchRequestJson.read("{\"learningRate\": 2}").learningRate(), "a real field takes 2");
    }

    @Test
    void recipeAndRetrainingObjectsAreValidatedFieldByField() {
        assertEquals(List.of("recipe.name", "recipe.version"), validationFields("{\"recipe\": {\"name\": \"My Search\"}}"));
        assertEquals(List.of("recipe.colour", "recipe.version", "recipe.description"), validationFields(
                "{\"recipe\": {\"name\": \"ok-1.0\", \"version\": 0, \"description\": 5, \"colour\": \"red\"}}"));
        assertEquals(List.of(), validationFields("{\"recipe\": {\"name\": \"ok-1.0\", \"version\": 2}}"));
        assertEquals(List.of("recipe.version"), validationFields("{\"recipe\": {\"name\": \"a\", \"version\": 1.0}}"));
        assertEquals(List.of("recipe.version"), validationFields(
                "{\"recipe\": {\"name\": \"a\", \"version\": 18446744073709551617}}"));
        assertEquals(List.of("retraining.size", "retraining.data", "retraining.augmentation",
                "retraining.learningRate", "retraining.batchSize", "retraining.testTimeAugmentation"), validationFields(
                "{\"retraining\": {\"data\": \"test\", \"augmentation\": \"mixup\", \"learningRate\": 0,"
                        + " \"batchSize\": 0, \"size\": 1, \"testTimeAugmentation\": \"mirror\"}}"));
    }

    @Test
    void retrainingSettingsFallBackToTheTrialsOnes() {
        Retraining defaults = SearchRequest.builder().build().normalized().retrainingSettings();
        assertEquals(Retraining.TRAIN_VALIDATION, defaults.data());
        assertTrue(defaults.augmentation().isEmpty() && defaults.learningRate().isEmpty()
                && defaults.batchSize().isEmpty());
        assertEquals(Retraining.NO_TEST_TIME_AUGMENTATION, defaults.testTimeAugmentation());
        assertEquals(1, defaults.testViews());
        assertTrue(defaults.testedAs().isEmpty());
        Retraining set = SearchRequestJson.read("{\"retraining\": {\"data\": \"ALL\", \"batchSize\": 64,"
                + " \"testTimeAugmentation\": \"Flip\"}}").normalized().retrainingSettings();
        assertTrue(set.allImages());
        assertEquals(64, set.batchSize().orElseThrow());
        assertEquals(2, set.testViews());
        assertEquals("each image averaged with its mirror image", set.testedAs().orElseThrow());
        Retraining shifted = SearchRequestJson.read("{\"retraining\": {\"testTimeAugmentation\": \"flip-shift\"}}")
                .normalized().retrainingSettings();
        assertEquals(10, shifted.testViews());
        assertEquals("each image averaged over 10 mirrored and shifted views", shifted.testedAs().orElseThrow());
    }

    @Test
    void overridesReplaceFieldsAndMergeSettingsKeyByKey() {
        SearchRequest recipe = SearchRequestJson.read("{\"controller\": \"nsga2\", \"trials\": 30, \"epochs\": 9,"
                + " \"seed\": 1,"
                + " \"options\": {\"population\": 12, \"maxParameters\": 100000},"
                + " \"earlyStopping\": {\"rule\": \"halving\", \"reduction\": 3},"
                + " \"retraining\": {\"data\": \"all\", \"learningRate\": 0.1},"
                + " \"recipe\": {\"name\": \"r\", \"version\": 1}}");
        SearchRequest flags = SearchRequest.builder().trials(3).options(Map.of("maxParameters", "15000"))
                .earlyStopping(Map.of("rule", "median")).retraining(Map.of("augmentation", "crop-flip")).build();
        SearchRequest r = recipe.overriddenBy(flags);
        assertEquals(3, r.trials());
        assertEquals(1L, r.seed(), "what no flag sets stays the recipe's");
        assertEquals(Map.of("population", 12, "maxParameters", "15000"), r.options());
        assertEquals(Map.of("rule", "median"), r.earlyStopping(), "a rule's settings are replaced whole");
        assertEquals(Map.of("data", "all", "learningRate", 0.1, "augmentation", "crop-flip"), r.retraining());
        assertEquals("r@1", r.recipeLabel());
        assertEquals(recipe, recipe.overriddenBy(SearchRequest.builder().build()), "no flags, the recipe itself");
        SearchRequest random = recipe.overriddenBy(SearchRequest.builder().controller("random")
                .options(Map.of("maxParameters", 100_000)).build());
        assertEquals(Map.of("maxParameters", 100_000), random.options(),
                "another controller's options are its own, not merged into the recipe's");
        assertTrue(random.validate().isEmpty(), random.validate().toString());
        assertEquals(null, recipe.overriddenBy(SearchRequest.builder().controller("evolution").build()).options(),
                "another controller without options takes its defaults");
    }
}
