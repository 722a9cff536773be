package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The meters on /q/metrics say what the database holds, for every process on it, without a series per search. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class MetricsApiTest {

    private static final Pattern LINE = Pattern.compile("^(cellforge_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$",
            Pattern.MULTILINE);

    @Inject
    EntityManager em;

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult())
                .longValue());
    }

    /** What the meters should read, from the database now. */
    private Map<String, Double> expected() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("cellforge_searches{status=\"succeeded\"}", (double) count(
                "select count(*) from search where status = 'SUCCEEDED'"));
        expected.put("cellforge_trials_stored", (double) count("select count(*) from trial"));
        expected.put("cellforge_trials{status=\"succeeded\"}", (double) count(
                "select count(*) from trial where status = 'SUCCEEDED'"));
        expected.put("cellforge_trials{status=\"running\"}", (double) count(
                "select count(*) from trial where status = 'RUNNING'"));
        expected.put("cellforge_trials_waiting", (double) count("select count(*) from trial t join search s on "
                + "s.id = t.search_id where t.status = 'RUNNING' and t.claimed_at is null and s.status in "
                + "('RUNNING', 'PAUSED') and s.mode = 'standalone'"));
        return expected;
    }

    /** Every cellforge sample on /q/metrics by name and tags. */
    private static Map<String, Double> samples() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return out;
    }

    @Test
    void searchesAndTrialsAreCountedAsStored() {
        long id = Api.start(Api.tiny("nas-bench-201", "random", 2));
        Api.awaitSuccess(id);
        // A paused search's trial that another process stored and no worker took yet is waiting in the queue
        // (paused, so that no coordinator of this process takes the search up meanwhile).
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("insert into trial (search_id, number, arch, status, created_at, told, attempts) "
                    + "values (?1, 99, 'waiting', 'RUNNING', now(), false, 0)").setParameter(1, id).executeUpdate();
            em.createNativeQuery("update search set status = 'PAUSED' where id = ?1").setParameter(1, id)
                    .executeUpdate();
        });
        try {
            // A reading serves scrapes for a few seconds, and searches of other tests may still be ending:
            // wait (bounded) until a scrape agrees with the database as it is then.
            Map<String, Double> expected = expected();
            assertTrue(expected.get("cellforge_trials_waiting") >= 1);
            Map<String, Double> seen = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                seen = samples();
                expected = expected();
                Map<String, Double> s = seen;
                if (expected.entrySet().stream().allMatch(e -> e.getValue().equals(s.get(e.getKey())))) {
                    break;
                }
                Api.pause();
            }
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                assertEquals(e.getValue(), seen.get(e.getKey()), e.getKey() + " in " + seen);
            }
            assertTrue(seen.containsKey("cellforge_training_images_per_second"), seen.toString());
            // A fixed set of series: one per status and outcome, none per search.
            assertTrue(seen.keySet().stream().noneMatch(k -> k.contains("search_id") || k.contains("id=")),
                    seen.toString());
        } finally {
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("delete from trial where search_id = ?1 and number = 99").setParameter(1, id)
                        .executeUpdate();
                em.createNativeQuery("update search set status = 'SUCCEEDED' where id = ?1").setParameter(1, id)
                        .executeUpdate();
            });
        }
    }
}
