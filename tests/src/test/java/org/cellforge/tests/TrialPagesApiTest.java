package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A search's trials a page at a time over REST, narrowed by status and sorted as asked, and one trial
 * with its learning curve; searches narrowed by status. Bad parameters are 400 naming them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TrialPagesApiTest {

    /** Trials added beside the search's own, numbered from 1001. */
    private static final int ADDED = 300;

    @Inject
    EntityManager em;

    private static long search;

    @BeforeEach
    void searchWithManyTrials() {
        if (search != 0) {
            return;
        }
        long id = Api.start(Api.tiny("nas-bench-201", "random", 2));
        Api.awaitSuccess(id);
        // Trial 1000 + n: accuracy (n % 89) / 100 unless failed (every 7th), parameters falling with n.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into trial (search_id, number, "
                        + "arch, status, validation_accuracy, parameters, seconds, created_at, told, attempts) select ?1, "
                        + "1000 + n, 'added-' || n, case when n % 7 = 0 then 'FAILED' else 'SUCCEEDED' end, case when "
                        + "n % 7 = 0 then null else (n % 89) / 100.0 end, 50000 - n, n, now(), true, 1 "
                        + "from generate_series(1, ?2) n")
                .setParameter(1, id).setParameter(2, ADDED).executeUpdate());
        search = id;
    }

    private static JsonPath page(String query) {
        return Api.json(given().get("/api/searches/" + search + "/trials" + query).then().statusCode(200).extract()
                .asString());
    }

    @Test
    void pagesSortedByAccuracyCoverEveryTrialOnceBestFirstFailedLast() {
        List<Map<String, Object>> all = new ArrayList<>();
        long total = -1;
        for (int offset = 0; total < 0 || offset < total; offset += 64) {
            JsonPath p = page("?sort=accuracy&order=desc&limit=64&offset=" + offset);
            total = p.getLong("total");
            assertEquals(64, p.getInt("limit"));
            List<Map<String, Object>> trials = p.getList("trials");
            assertTrue(trials.size() <= 64);
            all.addAll(trials);
        }
        assertEquals(ADDED + 2, total);
        Set<Object> numbers = new HashSet<>();
        all.forEach(t -> numbers.add(t.get("number")));
        assertEquals(total, numbers.size(), "no trial twice, none left out");
        boolean nullsBegun = false;
        Double previous = null;
        for (Map<String, Object> t : all) {
            Object acc = t.get("validationAccuracy");
            if (acc == null) {
                nullsBegun = true;
                continue;
            }
            assertFalse(nullsBegun, "trial " + t.get("number") + " has an accuracy after trials without one");
            double a = ((Number) acc).doubleValue();
            assertTrue(previous == null || a <= previous, "descending at trial " + t.get("number"));
            previous = a;
            assertTrue(((List<?>) t.get("epochs")).isEmpty(), "pages carry no epochs");
        }
    }

    @Test
    void aStatusNarrowsThePageAndItsTotal() {
        JsonPath failed = page("?status=failed&sort=parameters&order=asc&limit=1000");
        long expected = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from trial where search_id = ?1 and status = 'FAILED'").setParameter(1, search)
                .getSingleResult()).longValue());
        assertEquals(expected, failed.getLong("total"));
        List<Map<String, Object>> trials = failed.getList("trials");
        assertEquals(expected, trials.size());
        assertTrue(trials.stream().allMatch(t -> t.get("status").equals("FAILED")));
        for (int i = 1; i < trials.size(); i++) {
            assertTrue(Api.number(trials.get(i - 1), "parameters") <= Api.number(trials.get(i), "parameters"));
        }
    }

    @Test
    void oneTrialCarriesItsLearningCurve() {
        JsonPath detail = Api.search(search);
        Map<String, Object> first = Api.trials(detail).stream().filter(t -> ((Number) t.get("number")).intValue() == 1)
                .findFirst().orElseThrow();
        JsonPath trial = Api.json(given().get("/api/searches/" + search + "/trials/1").then().statusCode(200)
                .extract().asString());
        assertEquals(first.get("arch"), trial.getString("arch"));
        assertEquals(1, trial.getList("epochs").size());
        // One epoch: the trial's validation accuracy is its curve's only point.
        assertEquals(Api.number(first, "validationAccuracy"), trial.getDouble("epochs[0].validationAccuracy"));
        assertTrue(Api.list(first, "epochs").isEmpty(), "the search's detail leaves curves to this endpoint");
        given().get("/api/searches/" + search + "/trials/99999").then().statusCode(404)
                .body("error", containsString("no trial 99999"));
    }

    @Test
    void searchesNarrowByStatus() {
        List<Map<String, Object>> succeeded = Api.json(given().get("/api/searches?status=succeeded&limit=1000")
                .then().statusCode(200).extract().asString()).getList("");
        assertTrue(succeeded.stream().anyMatch(s -> ((Number) s.get("id")).longValue() == search));
        assertTrue(succeeded.stream().allMatch(s -> s.get("status").equals("SUCCEEDED")));
        List<Map<String, Object>> queued = Api.json(given().get("/api/searches?status=QUEUED").then().statusCode(200)
                .extract().asString()).getList("");
        assertTrue(queued.stream().noneMatch(s -> ((Number) s.get("id")).longValue() == search));
    }

    @Test
    void badParametersAre400NamingThem() {
        Map<String, String> bad = Map.of("status", "?status=done", "sort", "?sort=name", "order", "?order=up",
                "limit", "?limit=0", "offset", "?offset=-1");
        bad.forEach((field, query) -> given().get("/api/searches/" + search + "/trials" + query).then()
                .statusCode(400).body("violations[0].field", equalTo(field)));
        given().get("/api/searches?status=sleeping").then().statusCode(400)
                .body("violations[0].field", equalTo("status"));
        given().get("/api/searches/" + search + "/trials/first").then().statusCode(400)
                .body("violations[0].field", equalTo("number"));
        given().get("/api/searches/987654/trials").then().statusCode(404)
                .body("error", containsString("no search with id 987654"));
        assertEquals(page("?sort=parameters&order=asc&limit=5").getList("trials"),
                page("?sort=PARAMETERS&order=ASC&limit=5").getList("trials"), "names in any case");
    }
}
