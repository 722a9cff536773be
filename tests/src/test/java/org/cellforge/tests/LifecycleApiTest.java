package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import org.junit.jupiter.api.Test;

/**
 * Pause, resume and cancel over REST, with their 409s, and QUEUED searches waiting for a free trial
 * slot. The application under test trains one trial at a time in its own process.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class LifecycleApiTest {

    /** A search whose one trial trains for minutes: it holds the only slot until it is cancelled. */
    private static Map<String, Object> long_() {
        Map<String, Object> r = Api.tiny("nas-bench-201", "random", 1);
        r.put("epochs", 500);
        r.put("trainSize", 200);
        r.put("validationSize", 100);
        return r;
    }

    @Test
    void queuedSearchesWaitForAFreeSlotThenStartInOrderAndEveryIllegalMoveIsRefused() {
        long holder = Api.start(long_());
        try {
            awaitEpochs(holder, 1, 1);
            long first = Api.start(Api.tiny("nas-bench-201", "random", 1));
            long second = Api.start(Api.tiny("nas-bench-201", "random", 1));
            // Several epochs of the holder, each a scan's time or more: neither queued search took the slot.
            int seen = epochs(Api.search(holder), 1);
            awaitEpochs(holder, 1, seen + 3);
            assertEquals("QUEUED", Api.search(first).getString("status"));
            assertEquals("QUEUED", Api.search(second).getString("status"));

            given().post("/api/searches/{id}/pause", first).then().statusCode(202).body("status", equalTo("PAUSED"));
            given().post("/api/searches/{id}/pause", first).then().statusCode(409)
                    .body("status", equalTo(409)).body("error", containsString("PAUSED"));
            given().post("/api/searches/{id}/resume", first).then().statusCode(202).body("status", equalTo("QUEUED"));
            given().post("/api/searches/{id}/resume", first).then().statusCode(409)
                    .body("error", containsString("QUEUED"));

            given().post("/api/searches/{id}/cancel", holder).then().statusCode(202)
                    .body("status", equalTo("INTERRUPTED"));
            JsonPath a = Api.awaitSuccess(first);
            JsonPath b = Api.awaitSuccess(second);
            assertTrue(Instant.parse(a.getString("startedAt")).isBefore(Instant.parse(b.getString("startedAt"))),
                    "queued searches start in the order they were made");

            for (String action : List.of("pause", "cancel", "resume")) {
                given().post("/api/searches/{id}/" + action, first).then().statusCode(409)
                        .body("error", containsString("SUCCEEDED"));
                given().post("/api/searches/{id}/" + action, 987_654).then().statusCode(404);
            }
            given().post("/api/searches/{id}/cancel", holder).then().statusCode(409)
                    .body("error", containsString("INTERRUPTED"));

            // A cancelled search that trains each candidate on its own resumes: the cut trial trains again.
            JsonPath cancelled = Api.search(holder);
            assertEquals("FAILED", Api.trials(cancelled).get(0).get("status"));
            given().post("/api/searches/{id}/resume", holder).then().statusCode(202)
                    .body("status", equalTo("RUNNING"));
            Polls.await("the cut trial to be taken up again", Api.SEARCH_DEADLINE, () ->
                    ((Number) Api.trials(Api.search(holder)).get(0).get("attempts")).intValue() == 2);
            JsonPath again = Api.search(holder);
            assertEquals("RUNNING", again.getString("status"));
            assertEquals(1, Api.trials(again).size(), "the same trial, not a new one");
            assertEquals("RUNNING", Api.trials(again).get(0).get("status"));
        } finally {
            given().post("/api/searches/{id}/cancel", holder);
        }
    }

    @Test
    void aPausedSearchProposesNothingUntilResumedAndLosesNoTrial() {
        Map<String, Object> request = Api.tiny("nas-bench-201", "random", 3);
        request.put("epochs", 4);
        long id = Api.start(request);
        // Paused with three epochs of its first trial still to go: it cannot have asked for a second one.
        awaitEpochs(id, 1, 1);
        given().post("/api/searches/{id}/pause", id).then().statusCode(202).body("status", equalTo("PAUSED"));
        Polls.await("the first trial to end on its worker while the search is paused", Duration.ofMinutes(5), () -> {
            JsonPath s = Api.search(id);
            return !"RUNNING".equals(Api.trials(s).get(0).get("status"));
        });
        JsonPath paused = Api.search(id);
        assertEquals("PAUSED", paused.getString("status"));
        assertEquals(1, Api.trials(paused).size(), "nothing new was proposed while paused");
        assertEquals("SUCCEEDED", Api.trials(paused).get(0).get("status"), "the trial in flight finished");

        given().post("/api/searches/{id}/resume", id).then().statusCode(202).body("status", equalTo("RUNNING"));
        JsonPath done = Api.awaitSuccess(id);
        assertEquals(3, Api.trials(done).size());
        assertEquals(List.of(1, 2, 3), Api.trials(done).stream().map(t -> ((Number) t.get("number")).intValue())
                .toList());
    }

    /** The epochs trial {@code number} of a search has stored. */
    private static int epochs(JsonPath search, int number) {
        boolean stored = Api.trials(search).stream().anyMatch(t -> ((Number) t.get("number")).intValue() == number);
        return stored ? Api.epochs(search.getLong("id"), number).size() : 0;
    }

    /** Waits, bounded, until trial {@code number} of a running search has stored {@code n} epochs. */
    private static void awaitEpochs(long id, int number, int n) {
        Polls.await("trial " + number + " of search " + id + " to store " + n + " epoch(s)", Api.SEARCH_DEADLINE, () -> {
            JsonPath s = Api.search(id);
            if (Api.ENDED.contains(s.getString("status"))) {
                throw new AssertionError("search " + id + " ended " + s.getString("status") + ": " + s.getString("error"));
            }
            return epochs(s, number) >= n;
        });
    }
}
