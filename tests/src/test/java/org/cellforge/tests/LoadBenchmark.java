package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.web.search.SearchService;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The load benchmark of BENCHMARKS.md, not part of the suite (surefire runs classes named *Test):
 * fills a fresh database with 100,000 trials across 100 searches (one of 15,625, every NAS-Bench-201
 * cell; 99 of about 850), each trial with its epochs and the best five of every search with a
 * checkpoint, then measures the REST list and detail calls over HTTP and the dashboard's data
 * queries (the service methods its views call), and prints p50 and p95 of each. Run it with
 * {@code ./cellforge bench --mode load}; {@code -Dcellforge.load.trials=N} and
 * {@code -Dcellforge.load.calls=N} change the size and the number of timed calls.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class LoadBenchmark {

    private static final int TRIALS = Integer.getInteger("cellforge.load.trials", 100_000);
    private static final int SEARCHES = 100;
    private static final int CALLS = Integer.getInteger("cellforge.load.calls", 200);
    private static final int WARM_UP = 30;
    private static final int EPOCHS = 4;
    private static final int CHECKPOINTS_PER_SEARCH = 5;
    /** Bytes of one seeded checkpoint, about what an NB201 network of width 16 exports to. */
    private static final int CHECKPOINT_BYTES = 100 * 1024;

    @Inject
    EntityManager em;

    @Inject
    SearchService service;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(17);
    private final List<String> rows = new ArrayList<>();
    private long detailBytes;

    @Test
    void hundredThousandTrials(@TempDir Path dir) throws Exception {
        long template = Api.start(Api.tinyOn(dir, 1));
        Api.awaitSuccess(template);
        long seedStart = System.nanoTime();
        long[] ids = seed(template);
        long big = ids[0];
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        long trials = count("select count(*) from trial");
        long searches = count("select count(*) from search");
        assertTrue(trials >= TRIALS, "seeded " + trials);
        String account = "load-viewer";
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into account (name, password_hash, "
                + "role) values (?1, ?2, 'viewer')").setParameter(1, account)
                .setParameter(2, BcryptUtil.bcryptHash("load-password")).executeUpdate());

        String operator = TestUsers.operatorHeader();
        String dbUser = "Basic " + Base64.getEncoder().encodeToString((account + ":load-password")
                .getBytes(StandardCharsets.UTF_8));
        int typicalTrials = (int) count("select count(*) from trial where search_id = " + ids[1]);

        rest("GET /api/searches?limit=50&offset=R (R < 50)", operator,
                i -> "/api/searches?limit=50&offset=" + random.nextInt(50));
        rest("GET /api/searches?status=failed&limit=50", operator, i -> "/api/searches?status=failed&limit=50");
        rest("GET /api/searches/{id}, " + typicalTrials + " trials", operator,
                i -> "/api/searches/" + ids[1 + random.nextInt(ids.length - 1)]);
        rest("GET /api/searches/{id}, 15,625 trials", operator, i -> "/api/searches/" + big);
        rest("GET /api/searches/{id}/trials?sort=accuracy&order=desc&limit=50&offset=R (R < 15,000)", operator,
                i -> "/api/searches/" + big + "/trials?sort=accuracy&order=desc&limit=50&offset="
                        + random.nextInt(15_000));
        rest("GET /api/searches/{id}/trials?sort=accuracy&order=desc&limit=50 (first page)", operator,
                i -> "/api/searches/" + big + "/trials?sort=accuracy&order=desc&limit=50");
        rest("GET /api/searches/{id}/trials?status=failed&sort=seconds&limit=50", operator,
                i -> "/api/searches/" + big + "/trials?status=failed&sort=seconds&limit=50");
        rest("GET /api/searches/{id}/trials/{n} (with its epochs)", operator,
                i -> "/api/searches/" + big + "/trials/" + (1 + random.nextInt(15_625)));
        rest("GET /api/searches/{id}/trials/{n}, a database account's Basic credentials", dbUser,
                i -> "/api/searches/" + big + "/trials/" + (1 + random.nextInt(15_625)));

        // What the 15,625-trial detail costs before it is written as JSON, and how much JSON that is.
        time("the same detail's data (SearchService.get), without JSON and HTTP", i -> service.get(big));
        detailBytes = given().get("/api/searches/" + big).then().statusCode(200).extract().asByteArray().length;
        dashboard("searches page: list(0, 200)", i -> service.list(0, 200));
        dashboard("search page head: overview, " + typicalTrials + " trials",
                i -> service.overview(ids[1 + random.nextInt(ids.length - 1)]));
        dashboard("search page head: overview, 15,625 trials", i -> service.overview(big));
        dashboard("trials grid: a page of 50 by accuracy (R < 15,000) and the count", i -> {
            service.trials(big, null, SearchRepository.TrialOrder.ACCURACY, true, random.nextInt(15_000), 50);
            service.countTrials(big, null);
        });
        dashboard("running trials and their learning curves (8)", i -> {
            service.trials(big, TrialStatus.RUNNING, SearchRepository.TrialOrder.NUMBER, false, 0, 8);
            int from = 1 + random.nextInt(15_000);
            service.curves(big, List.of(from, from + 1, from + 2, from + 3, from + 4, from + 5, from + 6, from + 7));
        });
        dashboard("trial page: brief and trial", i -> {
            service.brief(big);
            service.trial(big, 1 + random.nextInt(15_625));
        });

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "database: %,d searches, %,d trials, %,d epochs, %,d checkpoints "
                        + "(%,d MiB); seeded in %.0f s%n", searches, trials, count("select count(*) from trial_epoch"),
                count("select count(*) from trial_checkpoint"),
                count("select sum(octet_length(model)) from trial_checkpoint") >> 20, seedSeconds));
        out.append(String.format(Locale.ROOT, "%d warm-up and %d timed calls each, one at a time; the detail of "
                + "the 15,625-trial search is %,d bytes of JSON%n%n", WARM_UP, CALLS, detailBytes));
        out.append("| call | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n");
        rows.forEach(out::append);
        System.out.println(out);
        Path report = Path.of(System.getProperty("cellforge.load.report", "target/load-benchmark.md"));
        Files.writeString(report, out);
        System.out.println("written to " + report.toAbsolutePath());
    }

    /** Copies of {@code template}'s row with their trials, epochs, checkpoints and a retraining each; their ids. */
    private long[] seed(long template) {
        long[] ids = new long[SEARCHES];
        String[] statuses = {"SUCCEEDED", "FAILED", "INTERRUPTED"};
        for (int s = 0; s < SEARCHES; s++) {
            String status = s % 10 == 9 ? statuses[1 + s / 10 % 2] : statuses[0];
            ids[s] = ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "insert into search (space, controller, trial_budget, epochs_per_trial, seed, channels, "
                            + "cells_per_stage, batch_size, train_size, validation_size, split_seed, dataset, status, "
                            + "error, created_at, started_at, finished_at, controller_options, early_stopping, "
                            + "warm_start, retrain_epochs, retrain, parallel_trials, input_channels, image_height, "
                            + "image_width, classes, dataset_fingerprint, mode, supernet, retraining, recipe) "
                            + "select space, 'evolution', 20000, epochs_per_trial, seed, channels, cells_per_stage, "
                            + "batch_size, train_size, validation_size, split_seed, dataset, ?1, case when ?1 = "
                            + "'FAILED' then 'seeded failure' end, created_at, started_at, finished_at, "
                            + "controller_options, early_stopping, warm_start, retrain_epochs, retrain, "
                            + "parallel_trials, input_channels, image_height, image_width, classes, "
                            + "dataset_fingerprint, mode, supernet, retraining, recipe from search where id = ?2 "
                            + "returning id")
                    .setParameter(1, status).setParameter(2, template).getSingleResult())).longValue();
        }
        int rest = TRIALS - Math.min(TRIALS, 15_625);
        for (int s = 0; s < SEARCHES; s++) {
            int n = s == 0 ? Math.min(TRIALS, 15_625) : rest / (SEARCHES - 1) + (s <= rest % (SEARCHES - 1) ? 1 : 0);
            long id = ids[s];
            // Trial k is NAS-Bench-201 cell k - 1 (its six edges are k - 1's digits in base 5), so every
            // architecture string is a real, distinct one; every 13th trial failed.
            sql("insert into trial (search_id, number, arch, status, validation_accuracy, parameters, seconds, "
                    + "failure, created_at, finished_at, canonical, flops, epochs, told, attempts) "
                    + "select ?1, k, '|' || o[(k - 1) % 5 + 1] || '~0|+|' || o[(k - 1) / 5 % 5 + 1] || '~0|' || "
                    + "o[(k - 1) / 25 % 5 + 1] || '~1|+|' || o[(k - 1) / 125 % 5 + 1] || '~0|' || "
                    + "o[(k - 1) / 625 % 5 + 1] || '~1|' || o[(k - 1) / 3125 % 5 + 1] || '~2|', "
                    + "case when k % 13 = 0 then 'FAILED' else 'SUCCEEDED' end, "
                    + "case when k % 13 = 0 then null else 0.70 + 0.25 * random() end, "
                    + "20000 + (k * 7919) % 80000, 20 + 100 * random(), "
                    + "case when k % 13 = 0 then 'seeded failure' end, now(), now(), substr(md5(k::text), 1, 16), "
                    + "(20000 + (k * 7919) % 80000) * 40, " + EPOCHS + ", true, 1 "
                    + "from generate_series(1, ?2) k, (select array['none', 'skip_connect', 'nor_conv_1x1', "
                    + "'nor_conv_3x3', 'avg_pool_3x3'] o) ops", id, n);
            sql("insert into trial_epoch (trial_id, epoch, train_loss, train_accuracy, validation_accuracy, seconds, "
                    + "images_per_second) select t.id, e, 1.0 / e, 0.6 + 0.05 * e, coalesce(t.validation_accuracy, "
                    + "0.5) - 0.02 * (" + EPOCHS + " - e), 10, 2500 from trial t, generate_series(1, " + EPOCHS
                    + ") e where t.search_id = ?1 and t.status = 'SUCCEEDED'", id);
            // Random hex decoded to bytes: as incompressible as a real network's weights.
            sql("insert into trial_checkpoint (trial_id, format, model, created_at) select t.id, 'onnx', "
                    + "(select decode(string_agg(md5(random()::text || g || t.id), ''), 'hex') from generate_series(1, "
                    + CHECKPOINT_BYTES / 16 + ") g), now() from (select id from trial where search_id = ?1 and "
                    + "status = 'SUCCEEDED' order by validation_accuracy desc limit " + CHECKPOINTS_PER_SEARCH
                    + ") t", id);
            sql("insert into retrain (search_id, trial_number, arch, status, epochs, test_accuracy, train_images, "
                    + "test_images, parameters, flops, seconds, created_at, finished_at) select ?1, number, arch, "
                    + "'SUCCEEDED', 30, 0.92, 60000, 10000, parameters, flops, 1800, now(), now() from trial where "
                    + "search_id = ?1 and status = 'SUCCEEDED' order by validation_accuracy desc limit 1", id);
        }
        sql("analyze");
        return ids;
    }

    private void sql(String statement, Object... args) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = em.createNativeQuery(statement);
            for (int i = 0; i < args.length; i++) {
                q.setParameter(i + 1, args[i]);
            }
            q.executeUpdate();
        });
    }

    private long count(String query) {
        Object r = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(query).getSingleResult());
        return r == null ? 0 : ((Number) r).longValue();
    }

    /** Times {@code path(i)} over HTTP with {@code authorization}; every answer must be 200. */
    private void rest(String name, String authorization, IntFunction<String> path) {
        time(name, i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path.apply(i)))
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build();
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), () -> request.uri() + ": " + new String(r.body(),
                        StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private void dashboard(String name, IntConsumer query) {
        time("dashboard " + name, query);
    }

    private void time(String name, IntConsumer call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.accept(i);
        }
        long[] nanos = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        rows.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, percentile(nanos, 0.50),
                percentile(nanos, 0.95), nanos[nanos.length - 1] / 1e6));
    }

    /** The nearest-rank percentile of sorted {@code nanos}, in milliseconds. */
    private static double percentile(long[] nanos, double p) {
        return nanos[Math.max(0, (int) Math.ceil(p * nanos.length) - 1)] / 1e6;
    }
}
