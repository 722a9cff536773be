package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What a search leaves in the database, and how it is bounded: each trial reports the size of its
 * stored network; the checkpoints of all but a search's best trials can be removed; a search can be
 * deleted whole, in one transaction, once it has ended; and datasets are read only from the server's
 * dataset roots.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SearchStorageApiTest {

    @Inject
    EntityManager em;

    private long count(String sql, Object... args) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = em.createNativeQuery(sql, Long.class);
            for (int i = 0; i < args.length; i++) {
                q.setParameter(i + 1, args[i]);
            }
            return (Long) q.getSingleResult();
        });
    }

    private static List<Map<String, Object>> page(long id) {
        return Api.json(given().get("/api/searches/{id}/trials?limit=1000", id).then().statusCode(200).extract()
                .asString()).getList("trials");
    }

    @Test
    void checkpointsOfAllButTheBestAreRemovedAndTheirSizesReported(@TempDir Path dir) throws IOException {
        long id = Api.start(Api.tinyOn(dir, 4));
        // Not before it ends: its trials are still being ranked.
        JsonPath done = Api.awaitSuccess(id);
        List<Map<String, Object>> trials = page(id);
        List<Map<String, Object>> trained = trials.stream().filter(t -> "SUCCEEDED".equals(t.get("status"))).toList();
        assertTrue(trained.size() >= 2, "two or more trained trials to choose from: " + trials);
        for (Map<String, Object> t : trained) {
            long bytes = ((Number) t.get("checkpointBytes")).longValue();
            assertEquals(count("select octet_length(c.model)::bigint from trial_checkpoint c join trial t on "
                    + "t.id = c.trial_id where t.search_id = ?1 and t.number = ?2", id, t.get("number")), bytes);
        }
        Map<String, Object> best = trained.stream().max(Comparator.comparingDouble(
                (Map<String, Object> t) -> Api.number(t, "validationAccuracy"))
                .thenComparing(t -> -((Number) t.get("number")).intValue())).orElseThrow();
        assertEquals(done.getInt("bestTrial"), best.get("number"));
        // Kept: the best, and every trial no other beats or matches on accuracy while costing less (in
        // parameters, or in FLOPs), so that the search's Pareto fronts keep their networks.
        java.util.Set<Object> kept = new java.util.HashSet<>();
        kept.add(best.get("number"));
        for (String cost : List.of("parameters", "flops")) {
            for (Map<String, Object> t : trained) {
                boolean dominated = trained.stream().anyMatch(o -> o != t
                        && Api.number(o, "validationAccuracy") >= Api.number(t, "validationAccuracy")
                        && Api.number(o, cost) <= Api.number(t, cost)
                        && (Api.number(o, "validationAccuracy") > Api.number(t, "validationAccuracy")
                                || Api.number(o, cost) < Api.number(t, cost)));
                if (!dominated) {
                    kept.add(t.get("number"));
                }
            }
        }
        long others = trained.stream().filter(t -> !kept.contains(t.get("number")))
                .mapToLong(t -> ((Number) t.get("checkpointBytes")).longValue()).sum();

        given().delete("/api/searches/{id}/checkpoints?keep=1", id).then().statusCode(200)
                .body("kept", equalTo(1)).body("removed", equalTo(trained.size() - kept.size()))
                .body("freedBytes", equalTo((int) others));
        for (Map<String, Object> t : page(id)) {
            if (kept.contains(t.get("number"))) {
                assertNotNull(t.get("checkpointBytes"), "kept: " + t);
            } else {
                assertNull(t.get("checkpointBytes"), "removed: " + t);
            }
        }
        // With none to keep, every trial's network goes.
        given().delete("/api/searches/{id}/checkpoints?keep=0", id).then().statusCode(200)
                .body("removed", equalTo(kept.size()));
        assertTrue(page(id).stream().allMatch(t -> t.get("checkpointBytes") == null));
        int pruned = trained.stream().filter(t -> t != best).findFirst().map(t -> (Integer) t.get("number"))
                .orElseThrow();
        // The removed trial still exports its architecture, not a network it no longer has.
        given().get("/api/searches/{id}/trials/{n}/export?format=json", id, pruned).then().statusCode(200);
        given().get("/api/searches/{id}/trials/{n}/export?format=onnx", id, pruned).then().statusCode(409);
        given().get("/api/searches/{id}/best/export?format=onnx", id).then().statusCode(200);
        // The search's retrained network has its own checkpoint, which stays.
        assertEquals(1, count("select count(*) from retrain_checkpoint c join retrain r on r.id = c.retrain_id "
                + "where r.search_id = ?1", id));
    }

    @Test
    void anEndedSearchIsDeletedWholeAndALiveOneIsNot(@TempDir Path dir) throws IOException {
        long kept = Api.start(Api.tinyOn(dir, 1));
        Api.awaitSuccess(kept);
        long id = Api.start(Api.tinyOn(dir, 2));
        given().post("/api/searches/{id}/pause", id).then().statusCode(202);
        given().delete("/api/searches/{id}", id).then().statusCode(409).contentType(ContentType.JSON)
                .body("error", containsString("cancel it first"));
        given().delete("/api/searches/{id}/checkpoints", id).then().statusCode(409);
        assertEquals(1, count("select count(*) from search where id = ?1", id));

        given().post("/api/searches/{id}/resume", id).then().statusCode(202);
        Api.awaitSuccess(id);
        long keptRows = rowsOf(kept);
        assertTrue(count("select count(*) from trial_epoch e join trial t on t.id = e.trial_id where t.search_id = ?1",
                id) > 0);
        assertTrue(count("select count(*) from retrain where search_id = ?1", id) > 0);

        given().delete("/api/searches/{id}", id).then().statusCode(204);
        given().get("/api/searches/{id}", id).then().statusCode(404);
        assertEquals(0, rowsOf(id), "nothing of it is left");
        assertEquals(keptRows, rowsOf(kept), "another search keeps everything");
        given().delete("/api/searches/{id}", id).then().statusCode(404);
    }

    /** Every row stored for search {@code id}, in every table that holds any. */
    private long rowsOf(long id) {
        return count("select (select count(*) from search where id = ?1) + (select count(*) from trial where "
                + "search_id = ?1) + (select count(*) from trial_epoch e join trial t on t.id = e.trial_id where "
                + "t.search_id = ?1) + (select count(*) from trial_checkpoint c join trial t on t.id = c.trial_id "
                + "where t.search_id = ?1) + (select count(*) from retrain where search_id = ?1) + (select count(*) "
                + "from retrain_checkpoint c join retrain r on r.id = c.retrain_id where r.search_id = ?1) + (select "
                + "count(*) from supernet_epoch where search_id = ?1) + (select count(*) from supernet_checkpoint "
                + "where search_id = ?1)", id);
    }

    @Test
    void datasetsOutsideTheRootsGetOneAnswerWhetherOrNotTheyExist(@TempDir Path dir) throws IOException {
        long before = count("select count(*) from search");
        Path link = dir.resolve("looks-inside");
        Files.createSymbolicLink(link, Path.of("/etc"));
        String outside = null;
        for (String dataset : List.of("idx:/etc", "idx:/no/such/directory", "folder:" + dir + "/../../../etc",
                "cifar10:relative/dir", "idx:" + link)) {
            String reason = given().contentType(ContentType.JSON).body(Map.of("dataset", dataset))
                    .post("/api/searches").then().statusCode(400).body("violations[0].field", equalTo("dataset"))
                    .extract().path("violations[0].reason");
            outside = outside == null ? reason : outside;
            assertEquals(outside, reason, dataset + " is answered like every other path outside the roots");
        }
        assertTrue(outside.contains("dataset roots"), outside);
        assertEquals(before, count("select count(*) from search"));
    }
}
