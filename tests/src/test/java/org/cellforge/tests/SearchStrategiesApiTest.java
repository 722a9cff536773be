package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Option;
import org.cellforge.engine.Spaces;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Every registered controller and every space over REST, early stopping and the warm start: each a
 * tiny search on Fashion-MNIST run to its end. Controllers registered later are covered without
 * changes here.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SearchStrategiesApiTest {

    private static final String NB201 = "nas-bench-201";

    @Inject
    EntityManager em;

    /** The strategies that ask and tell; the one-shot ones (darts) are covered by WeightSharingApiTest. */
    static List<String> controllers() {
        return Controllers.askAndTell().stream().map(ControllerKind::name).toList();
    }

    static List<String> spaces() {
        return Spaces.names();
    }

    /**
     * Options that keep a controller's search tiny: each whole-number setting whose default is larger
     * is cut to its minimum (at least 2), so a population fills within a few trials. Optional
     * settings (hard limits and the like, off by default) and every other type keep their defaults.
     */
    static Map<String, Object> tinyOptions(ControllerKind kind) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Option o : kind.options()) {
            if (o.type() == Option.Type.INTEGER && o.defaultValue() instanceof Long d) {
                long small = Math.max((long) (double) o.min(), 2);
                if (small < d) {
                    options.put(o.name(), small);
                }
            }
        }
        return options;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void eachControllerRunsATinySearchOnNasBench201(String controller) {
        ControllerKind kind = Controllers.named(controller).orElseThrow();
        Map<String, Object> options = tinyOptions(kind);
        // Two trials past the largest size setting (a population), so the controller's own step runs too.
        int trials = (int) Math.max(3, options.values().stream().mapToLong(v -> (Long) v).max().orElse(0) + 2);
        Map<String, Object> request = Api.tiny(NB201, controller, trials);
        request.put("options", options);
        JsonPath search = Api.awaitSuccess(Api.start(request));

        assertEquals(controller, search.getString("request.controller"));
        Map<String, Object> stored = search.getMap("request.options");
        for (Option o : kind.options()) {
            Object expected = options.getOrDefault(o.name(), o.defaultValue());
            if (expected instanceof Number n) {
                assertEquals(n.doubleValue(), ((Number) stored.get(o.name())).doubleValue(), o.name());
            } else {
                assertEquals(expected, stored.get(o.name()), o.name());
            }
        }
        List<Map<String, Object>> done = assertDistinctSucceededTrials(search, NB201, trials);
        assertEquals(trials, done.size(), "every trial of the budget ran: " + Api.trials(search));
        SearchApiTest.assertParetoFront(search);

        // The final retraining covers what the request's retrain mode names, each with a test accuracy.
        List<Map<String, Object>> retrains = search.getList("retrains");
        List<Integer> retrained = retrains.stream().map(r -> (Integer) r.get("trialNumber")).toList();
        if ("front".equals(search.getString("request.retrain"))) {
            assertEquals(search.getList("paretoFront"), retrained);
        } else {
            assertEquals(List.of(search.getInt("bestTrial")), retrained);
        }
        for (Map<String, Object> r : retrains) {
            assertEquals("SUCCEEDED", r.get("status"), () -> "retrain " + r);
            assertEquals("retrained test", r.get("accuracyKind"));
            assertTrue(Api.number(r, "testAccuracy") >= 0 && Api.number(r, "testAccuracy") <= 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void eachSpaceTrainsAndExportsItsOwnArchitectures(String spaceName, @TempDir Path dir) throws IOException {
        // Full-size Fashion-MNIST images, but fewer of them, and a test split of 500 rather than
        // 10,000: the DARTS network is the slowest of the suite, and testing it on all of them
        // would take longer than the rest of its search.
        TestData.smallFashionMnist(dir, 400, 500, 28);
        // The DARTS network has 5 cells of 4 nodes each: narrower, so that it trains about as fast.
        boolean darts = spaceName.equals("darts");
        Map<String, Object> request = Api.tiny(spaceName, Controllers.names().get(0), 2);
        request.put("dataset", "idx:" + dir);
        request.put("trainSize", 300);
        request.put("validationSize", 100);
        request.put("channels", darts ? 2 : 4);
        JsonPath search = Api.awaitSuccess(Api.start(request));
        SearchSpace<?> space = Spaces.named(spaceName).orElseThrow();
        List<Map<String, Object>> done = assertDistinctSucceededTrials(search, spaceName, 2);
        assertEquals(2, done.size());
        for (Map<String, Object> t : done) {
            assertEquals(space, Spaces.ofText((String) t.get("arch")), "text form of " + spaceName);
        }
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(1, retrains.size());
        assertEquals("SUCCEEDED", retrains.get(0).get("status"), () -> "retrain " + retrains);
        assertEquals("retrained test", retrains.get(0).get("accuracyKind"));
        assertEquals(500, retrains.get(0).get("testImages"));
        assertEquals(300 + 100, retrains.get(0).get("trainImages"));

        long id = search.getLong("id");
        int best = search.getInt("bestTrial");
        String document = given().get("/api/searches/{id}/best/export?format=json", id).then().statusCode(200)
                .extract().asString();
        assertEquals(search.getString("bestArch"), space.fromJson(document).key());
        JsonPath doc = Api.json(document);
        assertEquals(spaceName, doc.getString("space"));
        assertEquals(best, doc.getInt("provenance.trial"));
        assertEquals("retrained test", doc.getString("results.test.kind"));
        assertEquals(Api.number(retrains.get(0), "testAccuracy"), doc.getDouble("results.test.accuracy"));

        ExportChecks.Onnx run = ExportChecks.run(given().get("/api/searches/{id}/best/export?format=onnx", id)
                .then().statusCode(200).extract().asByteArray(), 2);
        ExportChecks.assertLogits(run.logits(), 2, 10);
        assertEquals(spaceName, run.metadata().get("cellforge.space"));
        assertEquals(search.getString("bestArch"), run.metadata().get("cellforge.arch"));
        long parameters = done.stream().filter(t -> t.get("number").equals(best))
                .mapToLong(t -> ((Number) t.get("parameters")).longValue()).findFirst().orElseThrow();
        ExportChecks.assertPyTorchBundle(given().get("/api/searches/{id}/best/export?format=pytorch", id)
                .then().statusCode(200).extract().asByteArray(), parameters);
    }

    @Test
    void successiveHalvingStopsWeakTrialsAtItsRungAndNeverFailsThem() {
        // Ten trials: with fewer, accuracies that happen to rise from trial to trial leave nothing to stop.
        Map<String, Object> request = Api.tiny(NB201, Controllers.names().get(0), 10);
        request.put("epochs", 2);
        request.put("earlyStopping", Map.of("rule", "halving", "reduction", 2));
        request.put("retrainEpochs", 0);
        JsonPath search = Api.awaitSuccess(Api.start(request));
        assertEquals(Map.of("rule", "halving", "minEpochs", 1, "reduction", 2), search.getMap("request.earlyStopping"));
        List<Map<String, Object>> trials = Api.trials(search);
        assertEquals(10, trials.size());

        // Trials run one after another, so trial k meets its rung (epoch 1) after all earlier trials
        // did: it goes on only if fewer than half of the k accuracies there are better than its own.
        List<Double> atRung = new ArrayList<>();
        int stopped = 0;
        for (Map<String, Object> t : trials) {
            assertNotEquals("FAILED", t.get("status"), () -> "trial " + t);
            List<Map<String, Object>> epochs = Api.epochs(search.getLong("id"), ((Number) t.get("number")).intValue());
            double own = Api.number(epochs.get(0), "validationAccuracy");
            atRung.add(own);
            long better = atRung.stream().filter(a -> a > own).count();
            boolean stop = better >= Math.ceil(atRung.size() / 2.0);
            assertEquals(stop ? "STOPPED" : "SUCCEEDED", t.get("status"),
                    () -> "trial " + t.get("number") + " with rung accuracies " + atRung);
            if (stop) {
                stopped++;
                assertEquals(1, epochs.size());
                assertEquals(1, t.get("epochsTrained"));
                assertEquals(own, Api.number(t, "validationAccuracy"));
                assertTrue(((String) t.get("accuracyKind")).startsWith("stand-alone validation, stopped early"),
                        (String) t.get("accuracyKind"));
                String document = given().get("/api/searches/{id}/trials/{n}/export?format=json",
                        search.getLong("id"), t.get("number")).then().statusCode(200).extract().asString();
                assertEquals("stand-alone validation, stopped early",
                        Api.json(document).getString("results.validation.kind"));
            } else {
                assertEquals(2, epochs.size());
                assertEquals(2, t.get("epochsTrained"));
                assertEquals("stand-alone validation", t.get("accuracyKind"));
            }
        }
        assertTrue(stopped > 0, "halving stopped no trial of " + atRung);
        // A stopped trial was judged after fewer epochs: neither the best nor on the front.
        Set<Integer> fullyTrained = new HashSet<>();
        trials.stream().filter(t -> "SUCCEEDED".equals(t.get("status")))
                .forEach(t -> fullyTrained.add((Integer) t.get("number")));
        assertTrue(fullyTrained.contains(search.getInt("bestTrial")));
        assertTrue(fullyTrained.containsAll(search.getList("paretoFront")));
        assertTrue(search.getList("retrains").isEmpty(), "retrainEpochs 0 retrains nothing");
        assertNull(search.get("bestTestAccuracy"));
    }

    @Test
    void aWarmStartStoresItsScoredCandidatesAndRandomSearchTriesTheBestFirst() {
        Map<String, Object> request = Api.tiny(NB201, "random", 2);
        request.put("warmStart", 4);
        request.put("retrainEpochs", 0);
        JsonPath search = Api.awaitSuccess(Api.start(request));
        long id = search.getLong("id");
        SearchSpace<?> space = Spaces.named(NB201).orElseThrow();

        List<Map<String, Object>> warm = search.getList("warmStart");
        assertEquals(4, warm.size(), "candidates " + warm);
        Set<String> canonical = new HashSet<>();
        List<Double> scores = new ArrayList<>();
        for (Map<String, Object> c : warm) {
            canonical.add(canonicalHash(space, (String) c.get("arch")));
            assertTrue(c.containsKey("score"), "each candidate has its score: " + c);
            if (c.get("score") != null) {
                scores.add(Api.number(c, "score"));
            }
        }
        assertEquals(4, canonical.size(), "distinct functions: " + warm);
        assertFalse(scores.isEmpty(), "some candidate has a finite score: " + warm);
        List<Double> descending = new ArrayList<>(scores);
        descending.sort((a, b) -> Double.compare(b, a));
        assertEquals(descending, scores, "best first");

        // Random search proposes the warm start's candidates first, in their order.
        List<String> tried = Api.trials(search).stream().map(t -> (String) t.get("arch")).toList();
        assertEquals(warm.subList(0, 2).stream().map(c -> c.get("arch")).toList(), tried);

        SearchEntity stored = QuarkusTransaction.requiringNew().call(() -> em.find(SearchEntity.class, id));
        assertEquals(4, stored.warmStart);
        List<?> rows = (List<?>) Json.parse(stored.warmStartScores);
        assertEquals(warm.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<?, ?> row = (Map<?, ?>) rows.get(i);
            assertEquals(warm.get(i).get("arch"), row.get("arch"));
            Object score = row.get("score");
            assertEquals(warm.get(i).get("score") == null, score == null);
            if (score != null) {
                assertEquals(Api.number(warm.get(i), "score"), ((Number) score).doubleValue());
            }
        }
    }

    /** Asserts the trials are the space's, distinct in function and all trained to the end; returns them. */
    private static List<Map<String, Object>> assertDistinctSucceededTrials(JsonPath search, String spaceName,
            int budget) {
        SearchSpace<?> space = Spaces.named(spaceName).orElseThrow();
        List<Map<String, Object>> trials = Api.trials(search);
        assertTrue(!trials.isEmpty() && trials.size() <= budget, "trials " + trials);
        Set<String> canonical = new HashSet<>();
        for (Map<String, Object> t : trials) {
            assertEquals("SUCCEEDED", t.get("status"), () -> "trial " + t);
            assertEquals("stand-alone validation", t.get("accuracyKind"));
            double accuracy = Api.number(t, "validationAccuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
            assertEquals(canonicalHash(space, (String) t.get("arch")), t.get("canonical"));
            canonical.add((String) t.get("canonical"));
        }
        assertEquals(trials.size(), canonical.size(), "no function trained twice: " + trials);
        return trials;
    }

    private static <A extends Architecture> String canonicalHash(SearchSpace<A> space, String arch) {
        return space.canonical(space.parse(arch)).hash();
    }
}
