package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/** Starting and following searches over REST, shared by the system tests. */
final class Api {

    /**
     * How long a search may take from submission to its end. Searches run one at a time on the
     * server, so a search may queue behind every other test's; the bound is far above what a busy
     * two-core machine needs and only turns a hang into a failure.
     */
    static final Duration SEARCH_DEADLINE = Duration.ofMinutes(20);

    /** How often the state is read while waiting; waiting always ends on the state itself, never on time. */
    private static final Duration POLL = Duration.ofMillis(250);

    /** Statuses after which a search no longer changes. */
    static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "INTERRUPTED");

    private Api() {
    }

    /**
     * A search small enough for CI on Fashion-MNIST: width 4, one cell per stage, one epoch on 600
     * images, validated on 200, and a final retraining of one epoch; trials and the rest as given.
     */
    static Map<String, Object> tiny(String space, String controller, int trials) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("space", space);
        r.put("controller", controller);
        r.put("trials", trials);
        r.put("epochs", 1);
        r.put("seed", 7);
        r.put("channels", 4);
        r.put("cellsPerStage", 1);
        r.put("batchSize", 50);
        r.put("trainSize", 600);
        r.put("validationSize", 200);
        r.put("retrainEpochs", 1);
        return r;
    }

    /**
     * {@link #tiny} on a small dataset written to {@code dir} (1,000 training images of 4x4 pixels, 500
     * of them trained on, 200 validated on): a trial takes about a second.
     */
    static Map<String, Object> tinyOn(java.nio.file.Path dir, int trials) throws java.io.IOException {
        TestData.smallFashionMnist(dir, 1_000, 200, 4);
        Map<String, Object> request = tiny("nas-bench-201", "random", trials);
        request.put("dataset", "idx:" + dir);
        request.put("trainSize", 500);
        request.put("validationSize", 200);
        return request;
    }

    /** Reads a JSON body with real numbers as doubles, so they compare exactly with what the database holds. */
    static JsonPath json(String body) {
        return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** Posts {@code request} (a map or a JSON string), expecting the stored search as QUEUED; its id. */
    static long start(Object request) {
        Response created = given().contentType(ContentType.JSON).body(request).post("/api/searches");
        created.then().statusCode(201)
                .header("Location", containsString("/api/searches/"))
                .body("status", equalTo("QUEUED"));
        long id = created.jsonPath().getLong("id");
        assertTrue(created.header("Location").endsWith("/api/searches/" + id), created.header("Location"));
        return id;
    }

    /** The search as REST shows it now. */
    static JsonPath search(long id) {
        return json(given().get("/api/searches/{id}", id).then().statusCode(200).extract().asString());
    }

    /** Waits, bounded by {@link #SEARCH_DEADLINE}, until search {@code id} has ended; its final state. */
    static JsonPath awaitEnd(long id) {
        long deadline = System.nanoTime() + SEARCH_DEADLINE.toNanos();
        while (true) {
            JsonPath s = search(id);
            if (ENDED.contains(s.getString("status"))) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("search " + id + " still " + s.getString("status") + " after "
                        + SEARCH_DEADLINE);
            }
            pause();
        }
    }

    /** Waits until search {@code id} has ended and asserts it succeeded; its final state. */
    static JsonPath awaitSuccess(long id) {
        JsonPath s = awaitEnd(id);
        assertEquals("SUCCEEDED", s.getString("status"), () -> "search " + id + " error: " + s.getString("error")
                + "; trials: " + s.getList("trials"));
        return s;
    }

    /** The learning curve of trial {@code number} of search {@code id}: its stored epochs, from the trial's endpoint. */
    static List<Map<String, Object>> epochs(long id, int number) {
        return json(given().get("/api/searches/{id}/trials/{n}", id, number).then().statusCode(200).extract()
                .asString()).getList("epochs");
    }

    /** The trials of a search as REST shows them. */
    static List<Map<String, Object>> trials(JsonPath search) {
        return search.getList("trials");
    }

    /** A list inside a JSON object read as a map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    /** A number of a JSON map as a double. */
    static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** Sleeps between two reads of a state that is awaited. */
    static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
