package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.cellforge.engine.Spaces;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Weight-sharing and DARTS searches over REST on both spaces, each tiny and run to its end: every
 * stored accuracy says its kind (supernet estimate, stand-alone validation, retrained test), the
 * finalists are the best estimates, and DARTS stores its architecture weights per epoch.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class WeightSharingApiTest {

    private static final int SUPERNET_EPOCHS = 2;

    @ParameterizedTest(name = "{0} with {1}, {2} sampling")
    @CsvSource({"nas-bench-201, reinforce, controller", "darts, evolution, uniform"})
    void aWeightSharingSearchEstimatesOnTheSupernetAndTrainsOnlyItsFinalists(String space, String controller,
            String sampling) {
        int trials = 4;
        int finalists = 2;
        Map<String, Object> request = tiny(space, controller, trials);
        request.put("mode", "weight-sharing");
        request.put("supernet", Map.of("epochs", SUPERNET_EPOCHS, "sampling", sampling, "finalists", finalists));
        if (controller.equals("evolution")) {
            request.put("options", Map.of("population", 2, "sample", 2));
        }
        JsonPath search = Api.awaitSuccess(Api.start(request));

        assertEquals("weight-sharing", search.getString("request.mode"));
        List<Map<String, Object>> epochs = search.getList("supernetEpochs");
        assertEquals(SUPERNET_EPOCHS, epochs.size(), epochs::toString);
        for (Map<String, Object> e : epochs) {
            assertEquals("supernet estimate", e.get("estimateKind"));
            assertFraction(Api.number(e, "estimate"));
            assertNull(e.get("alpha"), "only DARTS has architecture weights");
        }
        List<Map<String, Object>> all = Api.trials(search);
        assertEquals(trials, all.size(), all::toString);
        SearchSpace<? extends Architecture> s = Spaces.require(space);
        for (Map<String, Object> t : all) {
            assertEquals("SUCCEEDED", t.get("status"), t::toString);
            assertFraction(Api.number(t, "supernetEstimate"));
            assertTrue(contains(s, (String) t.get("arch")), t::toString);
        }
        // The finalists are the best estimates, and only they were trained on their own weights.
        List<Integer> bestEstimates = all.stream()
                .sorted(Comparator.comparingDouble((Map<String, Object> t) -> -Api.number(t, "supernetEstimate")))
                .limit(finalists).map(t -> (Integer) t.get("number")).sorted().toList();
        List<Map<String, Object>> trained = all.stream().filter(t -> t.get("validationAccuracy") != null).toList();
        assertEquals(bestEstimates, trained.stream().map(t -> (Integer) t.get("number")).sorted().toList());
        for (Map<String, Object> t : trained) {
            assertEquals("stand-alone validation", t.get("accuracyKind"));
            assertFraction(Api.number(t, "validationAccuracy"));
        }
        Map<String, Object> best = trained.stream()
                .max(Comparator.comparingDouble((Map<String, Object> t) -> Api.number(t, "validationAccuracy")))
                .orElseThrow();
        assertEquals(best.get("number"), search.getInt("bestTrial"), "chosen by stand-alone validation");
        assertRetrained(search, (Integer) best.get("number"));

        // The exported document carries each of its three accuracies with its kind.
        JsonPath document = Api.json(given().get("/api/searches/{id}/best/export?format=json",
                search.getLong("id")).then().statusCode(200).extract().asString());
        assertEquals("supernet estimate", document.getString("results.supernetEstimate.kind"));
        assertEquals(Api.number(best, "supernetEstimate"), document.getDouble("results.supernetEstimate.accuracy"));
        assertEquals("stand-alone validation", document.getString("results.validation.kind"));
        assertEquals("retrained test", document.getString("results.test.kind"));
    }

    @ParameterizedTest(name = "darts on {0}")
    @ValueSource(strings = {"nas-bench-201", "darts"})
    void aDartsSearchStoresItsArchitectureWeightsPerEpochAndRetrainsItsGenotype(String space) {
        Map<String, Object> request = tiny(space, "darts", 1);
        request.put("supernet", Map.of("epochs", SUPERNET_EPOCHS));
        JsonPath search = Api.awaitSuccess(Api.start(request));

        assertEquals("weight-sharing", search.getString("request.mode"), "darts searches by weight sharing");
        List<Map<String, Object>> epochs = search.getList("supernetEpochs");
        assertEquals(SUPERNET_EPOCHS, epochs.size(), epochs::toString);
        List<String> cells = space.equals("darts") ? List.of("normal", "reduce") : List.of("cell");
        int edges = space.equals("darts") ? 14 : 6;
        for (Map<String, Object> e : epochs) {
            assertFraction(Api.number(e, "estimate"));
            List<Map<String, Object>> alpha = Api.list(e, "alpha");
            assertEquals(cells, alpha.stream().map(c -> c.get("cell")).toList());
            for (Map<String, Object> cell : alpha) {
                @SuppressWarnings("unchecked")
                List<List<Number>> weights = (List<List<Number>>) cell.get("weights");
                assertEquals(edges, weights.size());
                for (List<Number> edge : weights) {
                    assertEquals(((List<?>) cell.get("ops")).size(), edge.size());
                    assertEquals(1.0, edge.stream().mapToDouble(Number::doubleValue).sum(), 1e-6, "softmax");
                }
            }
        }
        // Alpha moved: after two epochs the weights are no longer the uniform start.
        @SuppressWarnings("unchecked")
        List<List<Number>> last = (List<List<Number>>) Api.list(epochs.getLast(), "alpha").get(0).get("weights");
        double spread = last.stream().flatMap(List::stream).mapToDouble(Number::doubleValue).max().orElseThrow()
                - last.stream().flatMap(List::stream).mapToDouble(Number::doubleValue).min().orElseThrow();
        assertTrue(spread > 1e-4, "alpha after training " + last);

        List<Map<String, Object>> all = Api.trials(search);
        assertEquals(1, all.size(), "the genotype is the one trial: " + all);
        Map<String, Object> genotype = all.get(0);
        SearchSpace<? extends Architecture> s = Spaces.require(space);
        assertTrue(contains(s, (String) genotype.get("arch")), genotype::toString);
        assertFraction(Api.number(genotype, "supernetEstimate"));
        assertEquals("stand-alone validation", genotype.get("accuracyKind"));
        assertFraction(Api.number(genotype, "validationAccuracy"));
        assertRetrained(search, 1);
    }

    @Test
    void onlyAnInterruptedWeightSharingSearchCanBeResumed() {
        Map<String, Object> request = tiny("nas-bench-201", "random", 1);
        long id = Api.start(request);
        Api.awaitSuccess(id);
        given().contentType(ContentType.JSON).post("/api/searches/{id}/resume", id).then().statusCode(409)
                .body("error", containsString("only an INTERRUPTED search can be resumed"));
        given().contentType(ContentType.JSON).post("/api/searches/{id}/resume", 987_654).then().statusCode(404);
    }

    @Test
    void aCancelledWeightSharingSearchResumesFromItsCheckpoint() {
        // Far more supernet epochs than the test waits for: it is cancelled while it trains.
        Map<String, Object> request = tiny("nas-bench-201", "random", 2);
        request.put("trainSize", 100);
        request.put("validationSize", 50);
        request.put("mode", "weight-sharing");
        request.put("supernet", Map.of("epochs", 1000));
        long running = Api.start(request);
        try {
            cancelThenResume(running);
        } finally {
            // A failed check must not leave it training beside the tests after it.
            given().post("/api/searches/{id}/cancel", running);
        }
    }

    private static void cancelThenResume(long running) {
        awaitSupernetEpochs(running, 1);
        given().post("/api/searches/{id}/cancel", running).then().statusCode(202);
        JsonPath cancelled = Api.awaitEnd(running);
        assertEquals("INTERRUPTED", cancelled.getString("status"));
        int done = cancelled.getList("supernetEpochs").size();
        given().post("/api/searches/{id}/cancel", running).then().statusCode(409)
                .body("error", containsString("INTERRUPTED"));

        given().post("/api/searches/{id}/resume", running).then().statusCode(202);
        // It continues after its last checkpoint instead of starting over: epochs go on from there.
        JsonPath resumed = awaitSupernetEpochs(running, done + 1);
        List<Map<String, Object>> epochs = resumed.getList("supernetEpochs");
        assertEquals(java.util.stream.IntStream.rangeClosed(1, epochs.size()).boxed().toList(),
                epochs.stream().map(e -> (Integer) e.get("epoch")).toList(), "no epoch lost or repeated");
        given().post("/api/searches/{id}/cancel", running).then().statusCode(202);
        assertEquals("INTERRUPTED", Api.awaitEnd(running).getString("status"));
    }

    /** Waits, bounded, until search {@code id} has stored at least {@code n} supernet epochs while running. */
    private static JsonPath awaitSupernetEpochs(long id, int n) {
        long deadline = System.nanoTime() + Api.SEARCH_DEADLINE.toNanos();
        while (true) {
            JsonPath s = Api.search(id);
            if (s.getList("supernetEpochs").size() >= n) {
                assertEquals("RUNNING", s.getString("status"));
                return s;
            }
            if (Api.ENDED.contains(s.getString("status")) || System.nanoTime() > deadline) {
                throw new AssertionError("search " + id + " is " + s.getString("status") + " with "
                        + s.getList("supernetEpochs").size() + " supernet epoch(s), waiting for " + n);
            }
            Api.pause();
        }
    }

    @Test
    void dartsRefusesTheStandAloneModeNamingTheField() {
        Map<String, Object> request = tiny("nas-bench-201", "darts", 1);
        request.put("mode", "standalone");
        request.put("supernet", Map.of("epochs", 0));
        given().contentType(ContentType.JSON).body(request).post("/api/searches").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItems("mode", "supernet.epochs"));
    }

    private static Map<String, Object> tiny(String space, String controller, int trials) {
        Map<String, Object> request = Api.tiny(space, controller, trials);
        if (space.equals("darts")) {
            // The DARTS network has 5 cells: narrower and on fewer images, so that it runs about as fast.
            request.put("channels", 2);
            request.put("trainSize", 200);
            request.put("validationSize", 100);
        }
        return request;
    }

    private static void assertRetrained(JsonPath search, int trial) {
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(1, retrains.size(), retrains::toString);
        Map<String, Object> r = retrains.get(0);
        assertEquals(trial, r.get("trialNumber"));
        assertEquals("SUCCEEDED", r.get("status"), r::toString);
        assertEquals("retrained test", r.get("accuracyKind"));
        assertFraction(Api.number(r, "testAccuracy"));
        assertNotNull(search.get("bestTestAccuracy"));
    }

    private static void assertFraction(double v) {
        assertTrue(v >= 0 && v <= 1, "an accuracy in [0, 1], got " + v);
    }

    private static <A extends Architecture> boolean contains(SearchSpace<A> space, String text) {
        return space.contains(space.parse(text));
    }
}
