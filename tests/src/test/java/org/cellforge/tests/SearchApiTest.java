package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.option.Option;
import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.Spaces;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.runner.Datasets;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.cellforge.web.search.QuarkusTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A search through REST from request to exports, checked against PostgreSQL; and every kind of bad request. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SearchApiTest {

    private static final String NB201 = "nas-bench-201";

    @Inject
    EntityManager em;

    @Inject
    QuarkusTransactions tx;

    @Test
    void aTinySearchSucceedsStoresWhatRestShowsAndExportsItsBestNetwork() {
        Map<String, Object> request = Api.tiny(NB201, Controllers.names().get(0), 3);
        long id = Api.start(request);
        JsonPath search = Api.awaitSuccess(id);
        SearchSpace<?> space = Spaces.named(NB201).orElseThrow();

        // The stored request is the one sent, with defaults filled in.
        assertEquals(NB201, search.getString("request.space"));
        assertEquals(3, search.getInt("request.trials"));
        assertEquals(600, search.getInt("request.trainSize"));
        assertEquals(SearchRequest.FASHION_MNIST, search.getString("request.dataset"));
        assertEquals("none", search.getString("request.earlyStopping.rule"));

        List<Map<String, Object>> trials = Api.trials(search);
        assertEquals(3, trials.size());
        assertEquals(3, search.getInt("trialsFinished"));
        Set<String> canonical = new HashSet<>();
        for (int i = 0; i < trials.size(); i++) {
            Map<String, Object> t = trials.get(i);
            assertEquals(i + 1, t.get("number"));
            assertEquals("SUCCEEDED", t.get("status"), () -> "trial " + t);
            assertEquals("stand-alone validation", t.get("accuracyKind"));
            double accuracy = Api.number(t, "validationAccuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
            assertEquals(1, t.get("epochsTrained"));
            // The hash REST shows is the space's own canonical form of the trained architecture.
            assertEquals(canonicalHash(space, (String) t.get("arch")), t.get("canonical"));
            canonical.add((String) t.get("canonical"));
            assertTrue(Api.list(t, "epochs").isEmpty(), "the search's detail carries no learning curves");
            List<Map<String, Object>> epochs = Api.epochs(id, ((Number) t.get("number")).intValue());
            assertEquals(1, epochs.size(), "epochs of trial " + t.get("number"));
            assertEquals(accuracy, Api.number(epochs.get(0), "validationAccuracy"));
            assertTrue(Api.number(epochs.get(0), "imagesPerSecond") > 0);
            assertTrue(((Number) t.get("parameters")).longValue() > 0);
        }
        assertEquals(3, canonical.size(), "no function is trained twice: " + trials);

        // The best trial is the most accurate, and only it is retrained, then tested once.
        Map<String, Object> best = trials.stream()
                .reduce((a, b) -> Api.number(b, "validationAccuracy") > Api.number(a, "validationAccuracy") ? b : a)
                .orElseThrow();
        assertEquals(best.get("number"), search.getInt("bestTrial"));
        assertEquals(best.get("arch"), search.getString("bestArch"));
        assertEquals(Api.number(best, "validationAccuracy"), search.getDouble("bestValidationAccuracy"));
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(1, retrains.size(), "retrains " + retrains);
        Map<String, Object> retrain = retrains.get(0);
        assertEquals(best.get("number"), retrain.get("trialNumber"));
        assertEquals(best.get("arch"), retrain.get("arch"));
        assertEquals("SUCCEEDED", retrain.get("status"), () -> "retrain " + retrain);
        assertEquals("retrained test", retrain.get("accuracyKind"));
        assertEquals("none", retrain.get("testTimeAugmentation"), "each test image predicted as it is, by default");
        double test = Api.number(retrain, "testAccuracy");
        assertTrue(test >= 0 && test <= 1, "test accuracy " + test);
        assertEquals(test, search.getDouble("bestTestAccuracy"));
        assertEquals(1, retrain.get("epochs"));
        assertEquals(600 + 200, retrain.get("trainImages"), "retrained on train+validation");
        assertParetoFront(search);

        assertRestShowsWhatPostgresHolds(id, search);
        given().get("/api/searches").then().statusCode(200)
                .body("find { it.id == " + id + " }.status", equalTo("SUCCEEDED"))
                .body("find { it.id == " + id + " }.trials", equalTo(null));

        // The architecture document reads back with the space's own reader, with each accuracy's kind.
        String document = given().get("/api/searches/{id}/best/export?format=json", id).then().statusCode(200)
                .contentType(ContentType.JSON)
                .header("Content-Disposition", containsString("search-" + id + "-trial-" + best.get("number")))
                .extract().asString();
        assertEquals(best.get("arch"), space.fromJson(document).key());
        JsonPath doc = Api.json(document);
        assertEquals("cellforge-architecture", doc.getString("format"));
        assertEquals(2, doc.getInt("version"));
        assertEquals(Api.number(best, "validationAccuracy"), doc.getDouble("results.validation.accuracy"));
        assertEquals("stand-alone validation", doc.getString("results.validation.kind"));
        assertEquals(test, doc.getDouble("results.test.accuracy"));
        assertEquals("retrained test", doc.getString("results.test.kind"));
        assertEquals(((Number) best.get("parameters")).longValue(), doc.getLong("objectives.parameters"));
        assertEquals(best.get("canonical"), doc.getString("provenance.canonical"));
        assertEquals(id, doc.getLong("provenance.search"));
        assertEquals("retrained on train+validation", doc.getString("provenance.weights"));

        // The ONNX network is the retrained one: it says so, and it scores its test accuracy again.
        byte[] onnx = given().get("/api/searches/{id}/best/export?format=onnx", id).then().statusCode(200)
                .extract().asByteArray();
        ExportChecks.Onnx run = ExportChecks.run(onnx, 3);
        ExportChecks.assertLogits(run.logits(), 3, 10);
        assertEquals(best.get("arch"), run.metadata().get("cellforge.arch"));
        assertEquals("retrained test", run.metadata().get("cellforge.accuracy_kind"));
        assertEquals(test, Double.parseDouble(run.metadata().get("cellforge.test_accuracy")));
        ImageSet testImages = Datasets.fromEnvironment().load(SearchRequest.FASHION_MNIST).test().orElseThrow();
        assertEquals(testImages.size(), retrain.get("testImages"));
        // ONNX Runtime and the trainer round differently, so a handful of borderline images may flip.
        double again = ExportChecks.accuracy(onnx, testImages);
        assertTrue(Math.abs(again - test) <= 0.01, "ONNX Runtime scores " + again + ", the search reported " + test);

        byte[] zip = given().get("/api/searches/{id}/best/export?format=pytorch", id).then().statusCode(200)
                .contentType(containsString("zip")).extract().asByteArray();
        ExportChecks.assertPyTorchBundle(zip, ((Number) best.get("parameters")).longValue());

        // Any other trial exports with its own training's weights and no test result.
        Map<String, Object> other = trials.stream().filter(t -> !t.get("number").equals(best.get("number")))
                .findFirst().orElseThrow();
        String otherDocument = given().get("/api/searches/{id}/trials/{n}/export?format=json", id,
                other.get("number")).then().statusCode(200).extract().asString();
        assertEquals(other.get("arch"), space.fromJson(otherDocument).key());
        JsonPath otherDoc = Api.json(otherDocument);
        assertEquals("trial training", otherDoc.getString("provenance.weights"));
        assertNull(otherDoc.get("results.test"));
        ExportChecks.Onnx otherRun = ExportChecks.run(given().get("/api/searches/{id}/trials/{n}/export?format=onnx",
                id, other.get("number")).then().statusCode(200).extract().asByteArray(), 2);
        ExportChecks.assertLogits(otherRun.logits(), 2, 10);
        assertEquals("stand-alone validation", otherRun.metadata().get("cellforge.accuracy_kind"));
        given().get("/api/searches/{id}/trials/{n}/export?format=json", id, trials.size() + 1).then()
                .statusCode(404).body("status", equalTo(404)).body("error", containsString("no trial"));

        assertRetrainingAnotherTrialLaterTestsItToo(id, (Integer) other.get("number"), trials.size());
    }

    /**
     * After the search, a trial chosen by the user (as from the Pareto front) is retrained and tested
     * once on request, and from then on exports with those weights and that test accuracy.
     */
    private void assertRetrainingAnotherTrialLaterTestsItToo(long id, int number, int trials) {
        given().contentType(ContentType.JSON).body(Map.of("trials", List.of(trials + 1)))
                .post("/api/searches/{id}/retrain", id).then().statusCode(400)
                .body("violations.field", hasItem("trials"));
        given().contentType(ContentType.JSON).body(Map.of("trials", List.of(number), "epochs", 0))
                .post("/api/searches/{id}/retrain", id).then().statusCode(400)
                .body("violations.field", hasItem("epochs"));
        given().contentType(ContentType.JSON).body(Map.of("trials", List.of(1)))
                .post("/api/searches/{id}/retrain", id + 1_000_000).then().statusCode(404);
        // A null among the numbers was unboxed into a 500.
        given().contentType(ContentType.JSON).body("{\"trials\": [" + number + ", null]}")
                .post("/api/searches/{id}/retrain", id).then().statusCode(400)
                .body("violations.field", hasItem("trials[1]"))
                .body("violations.reason", hasItem("expected a trial number, got null"));

        given().contentType(ContentType.JSON).body(Map.of("trials", List.of(number), "epochs", 1))
                .post("/api/searches/{id}/retrain", id).then().statusCode(202)
                .body("id", equalTo((int) id));
        // Done when the search has ended again with a finished retraining of that trial.
        long deadline = System.nanoTime() + Api.SEARCH_DEADLINE.toNanos();
        Map<String, Object> retrain;
        while (true) {
            JsonPath s = Api.search(id);
            retrain = s.<Map<String, Object>>getList("retrains").stream()
                    .filter(r -> r.get("trialNumber").equals(number) && !"RUNNING".equals(r.get("status")))
                    .findFirst().orElse(null);
            if (retrain != null && Api.ENDED.contains(s.getString("status"))) {
                assertEquals("SUCCEEDED", s.getString("status"));
                break;
            }
            assertTrue(System.nanoTime() < deadline, "retraining trial " + number + " did not end");
            Api.pause();
        }
        Map<String, Object> done = retrain;
        assertEquals("SUCCEEDED", done.get("status"), () -> "retrain " + done);
        assertEquals("retrained test", done.get("accuracyKind"));
        double test = Api.number(done, "testAccuracy");
        JsonPath doc = Api.json(given().get("/api/searches/{id}/trials/{n}/export?format=json", id, number).then()
                .statusCode(200).extract().asString());
        assertEquals(test, doc.getDouble("results.test.accuracy"));
        assertEquals("retrained test", doc.getString("results.test.kind"));
        assertEquals("retrained on train+validation", doc.getString("provenance.weights"));
    }

    /** Every row REST showed for the search is the row PostgreSQL holds, field by field. */
    private void assertRestShowsWhatPostgresHolds(long id, JsonPath search) {
        SearchEntity stored = QuarkusTransaction.requiringNew().call(() -> em.find(SearchEntity.class, id));
        assertEquals(search.getString("status"), stored.status.name());
        assertEquals(search.getString("request.space"), stored.space);
        assertEquals(search.getString("request.controller"), stored.controller);
        assertEquals(search.getInt("request.trials"), stored.trialBudget);
        assertEquals(search.getLong("request.seed"), stored.seed);
        List<TrialEntity> rows = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t from TrialEntity t where t.search.id = :id order by t.number", TrialEntity.class)
                .setParameter("id", id).getResultList());
        List<Map<String, Object>> trials = Api.trials(search);
        assertEquals(trials.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            TrialEntity row = rows.get(i);
            Map<String, Object> t = trials.get(i);
            assertEquals(t.get("number"), row.number);
            assertEquals(t.get("arch"), row.arch);
            assertEquals(t.get("canonical"), row.canonical);
            assertEquals(t.get("status"), row.status.name());
            assertEquals(Api.number(t, "validationAccuracy"), row.validationAccuracy);
            assertEquals(((Number) t.get("parameters")).longValue(), row.parameters);
            assertEquals(((Number) t.get("flops")).longValue(), row.flops);
            assertEquals(t.get("epochsTrained"), row.epochs);
            assertEquals(t.get("failure"), row.failure);
        }
        List<RetrainEntity> retrainRows = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select r from RetrainEntity r where r.searchId = :id order by r.id", RetrainEntity.class)
                .setParameter("id", id).getResultList());
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(retrains.size(), retrainRows.size());
        for (int i = 0; i < retrainRows.size(); i++) {
            RetrainEntity row = retrainRows.get(i);
            Map<String, Object> r = retrains.get(i);
            assertEquals(r.get("trialNumber"), row.trialNumber);
            assertEquals(r.get("arch"), row.arch);
            assertEquals(r.get("status"), row.status.name());
            assertEquals(Api.number(r, "testAccuracy"), row.testAccuracy);
            assertEquals(r.get("epochs"), row.epochs);
            assertEquals(r.get("trainImages"), row.trainImages);
            assertEquals(r.get("testImages"), row.testImages);
        }
    }

    /**
     * The front REST shows is the set of succeeded trials that no other succeeded trial dominates
     * in (validation accuracy up, the front's cost down), cheapest first; of equal trials the first
     * counts.
     */
    static void assertParetoFront(JsonPath search) {
        String cost = search.getString("frontCost");
        assertTrue(List.of("parameters", "flops").contains(cost), "front cost " + cost);
        List<Map<String, Object>> done = Api.trials(search).stream()
                .filter(t -> "SUCCEEDED".equals(t.get("status"))).toList();
        List<Integer> expected = new ArrayList<>();
        for (Map<String, Object> t : done) {
            boolean dominated = done.stream().anyMatch(u -> u != t && dominates(u, t, cost));
            if (!dominated) {
                expected.add((Integer) t.get("number"));
            }
        }
        List<Integer> front = search.getList("paretoFront");
        assertEquals(Set.copyOf(expected), Set.copyOf(front), "front of " + done);
        assertEquals(expected.size(), front.size(), "front " + front);
        List<Long> costs = front.stream().map(n -> done.stream().filter(t -> t.get("number").equals(n))
                .map(t -> ((Number) t.get(cost)).longValue()).findFirst().orElseThrow()).toList();
        assertEquals(costs.stream().sorted().toList(), costs, "front cheapest first");
    }

    private static boolean dominates(Map<String, Object> u, Map<String, Object> t, String cost) {
        long cu = ((Number) u.get(cost)).longValue();
        long ct = ((Number) t.get(cost)).longValue();
        double au = Api.number(u, "validationAccuracy");
        double at = Api.number(t, "validationAccuracy");
        boolean equal = cu == ct && au == at;
        return cu <= ct && au >= at && (!equal || (Integer) u.get("number") < (Integer) t.get("number"));
    }

    private static <A extends Architecture> String canonicalHash(SearchSpace<A> space, String arch) {
        return space.canonical(space.parse(arch)).hash();
    }

    @Test
    void imagesTheNetworksCannotTakeAreRefusedBeforeAnythingIsStored(@TempDir Path dir) throws IOException {
        // One-pixel images: both spaces' networks halve their input twice.
        TestData.smallFashionMnist(dir, 60, 20, 1);
        Map<String, Object> request = Api.tiny(NB201, Controllers.names().get(0), 2);
        request.put("dataset", "idx:" + dir);
        request.put("trainSize", 40);
        request.put("validationSize", 20);
        request.put("batchSize", 20);
        int before = given().get("/api/searches").then().statusCode(200).extract().jsonPath().getList("id").size();
        given().contentType(ContentType.JSON).body(request).post("/api/searches").then().statusCode(400)
                .body("violations[0].field", equalTo("dataset"))
                .body("violations[0].reason", containsString("multiples of 4"));
        assertEquals(before, given().get("/api/searches").then().extract().jsonPath().getList("id").size());
    }

    @Test
    void aSearchInWhichNoTrialSucceededHasNothingToExportOrRetrain() {
        // Stored as a search whose every trial failed ends: no timing, no race with a running search.
        JpaSearchStore store = new JpaSearchStore(tx);
        long id = store.create(SearchRequest.builder().trials(2).build().normalized(),
                new DatasetInfo(1, 28, 28, 10, "stored by the test"));
        store.started(id);
        Nb201Space space = Nb201Space.standard();
        Nb201Cell cell = space.sample(new java.util.SplittableRandom(3));
        ControllerState state = new ControllerState("random", 1, Map.of());
        long trial = store.trialStarted(id, 1, cell.key(), space.canonical(cell).hash(), new Cost(100, 1_000), state);
        // While a trial runs there is nothing to export either.
        given().get("/api/searches/{id}/best/export?format=onnx", id).then().statusCode(409)
                .body("status", equalTo(409)).body("error", containsString("no successful trial"));
        store.trialFinished(trial, TrialResult.failed("loss diverged to NaN at epoch 1, step 3", 1, 0.5), state);
        store.finished(id, SearchStatus.FAILED, "no trial succeeded");

        JsonPath search = Api.awaitEnd(id);
        assertEquals("FAILED", search.getString("status"));
        assertNull(search.get("bestTrial"));
        for (Map<String, Object> t : Api.trials(search)) {
            assertEquals("FAILED", t.get("status"), () -> "trial " + t);
            given().get("/api/searches/{id}/trials/{n}/export?format=onnx", id, t.get("number")).then()
                    .statusCode(409).body("error", containsString("no trained network"));
        }
        for (String format : List.of("json", "onnx", "pytorch")) {
            given().get("/api/searches/{id}/best/export?format=" + format, id).then().statusCode(409)
                    .body("error", containsString("no successful trial"));
        }
        // The architecture of a failed trial still exports as a document, with no accuracy to report.
        JsonPath document = given().get("/api/searches/{id}/trials/1/export?format=json", id).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(cell, space.fromJson(document.prettify()));
        assertNull(document.get("results.validation"));
        assertNull(document.get("results.test"));

        // Only a search that succeeded has trials worth retraining.
        given().contentType(ContentType.JSON).body(Map.of("trials", List.of(1)))
                .post("/api/searches/{id}/retrain", id).then().statusCode(409)
                .body("error", containsString("FAILED"));
    }

    @Test
    void aSearchOnACifarDirectoryKeepsItsRecipeAndSaysWhyItHasNoTestAccuracy(@TempDir Path dir) throws IOException {
        TestData.randomCifar10(dir, 100, 3);
        Map<String, Object> request = Api.tiny(NB201, Controllers.names().get(0), 1);
        request.put("trainSize", 300);
        request.put("validationSize", 100);
        request.put("dataset", "cifar10:" + dir);
        request.put("optimizer", "adam");
        request.put("augmentation", "crop-flip-cutout");
        long id = Api.start(request);
        JsonPath search = Api.awaitSuccess(id);
        assertEquals("cifar10:" + dir, search.getString("request.dataset"));
        assertEquals("adam", search.getString("request.optimizer"));
        assertEquals("crop-flip-cutout", search.getString("request.augmentation"));
        SearchEntity stored = QuarkusTransaction.requiringNew().call(() -> em.find(SearchEntity.class, id));
        assertEquals(List.of("adam", 1e-3, "crop-flip-cutout"),
                List.of(stored.optimizer, stored.learningRate, stored.augmentation));

        // CIFAR-10 without its test file: the retraining fails and says why; no test accuracy is made up.
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(1, retrains.size());
        assertEquals("FAILED", retrains.get(0).get("status"));
        assertNull(retrains.get(0).get("testAccuracy"));
        assertTrue(((String) retrains.get(0).get("failure")).contains("no test split"), retrains.toString());
        assertNull(search.get("bestTestAccuracy"));

        String document = given().get("/api/searches/{id}/best/export?format=json", id).then().statusCode(200)
                .extract().asString();
        JsonPath doc = Api.json(document);
        assertEquals(3, doc.getInt("macro.inputChannels"));
        assertEquals(10, doc.getInt("macro.classes"));
        assertNull(doc.get("results.test"));
        Nb201Cell cell = Nb201Space.standard().fromJson(document);
        assertEquals(new Nb201Macro(4, 1, 3, 10).flops(OpRegistry.builtIn(), cell, 32, 32),
                doc.getLong("objectives.flops"));
        ExportChecks.Onnx run = ExportChecks.run(given().get("/api/searches/{id}/best/export?format=onnx", id)
                .then().statusCode(200).extract().asByteArray(), 2);
        assertEquals(List.of(3L, 32L, 32L), List.of(run.inputShape()[1], run.inputShape()[2], run.inputShape()[3]));
        ExportChecks.assertLogits(run.logits(), 2, 10);
    }

    @Test
    void missingDatasetFilesGet400NamingTheField(@TempDir Path dir) {
        given().contentType(ContentType.JSON).body(Map.of("dataset", "cifar10:" + dir.resolve("none")))
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("dataset"))
                .body("violations[0].reason", containsString("does not exist"));
        given().contentType(ContentType.JSON).body(Map.of("dataset", "cifar10:" + dir))
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("dataset"))
                .body("violations[0].reason", containsString("data_batch_1.bin not found"));
    }

    /** Bodies that must be refused, each with the field the answer has to name. */
    static Stream<Arguments> badBodies() {
        List<Arguments> cases = new ArrayList<>(List.of(
                Arguments.of("{\"controller\": \"simulated-annealing\"}", "controller"),
                Arguments.of("{\"space\": \"nas-bench-301\"}", "space"),
                Arguments.of("{\"trials\": 0}", "trials"),
                Arguments.of("{\"trials\": -3}", "trials"),
                Arguments.of("{\"trials\": \"many\"}", "trials"),
                Arguments.of("{\"trials\": 2.5}", "trials"),
                Arguments.of("{\"seed\": 99999999999999999999}", "seed"),
                Arguments.of("{\"epochs\": 0}", "epochs"),
                Arguments.of("{\"trails\": 3}", "trails"),
                Arguments.of("{\"trials\": 3", "body"),
                Arguments.of("[3]", "body"),
                Arguments.of("", "body"),
                Arguments.of("{\"options\": 4}", "options"),
                Arguments.of("{\"earlyStopping\": \"halving\"}", "earlyStopping"),
                Arguments.of("{\"earlyStopping\": {\"rule\": \"sometimes\"}}", "earlyStopping.rule"),
                Arguments.of("{\"earlyStopping\": {\"rule\": \"median\", \"minTrials\": 0}}",
                        "earlyStopping.minTrials"),
                Arguments.of("{\"earlyStopping\": {\"rule\": \"halving\", \"reduction\": 1}}",
                        "earlyStopping.reduction"),
                Arguments.of("{\"epochs\": 3, \"earlyStopping\": {\"rule\": \"halving\", \"minEpochs\": 3}}",
                        "earlyStopping.minEpochs"),
                Arguments.of("{\"earlyStopping\": {\"rule\": \"none\", \"reduction\": 2}}",
                        "earlyStopping.reduction"),
                Arguments.of("{\"trainSize\": 59000, \"validationSize\": 5000}", "validationSize"),
                Arguments.of("{\"retrain\": \"everything\"}", "retrain"),
                Arguments.of("{\"parallelTrials\": 0}", "parallelTrials"),
                Arguments.of("{\"retraining\": \"all\"}", "retraining"),
                Arguments.of("{\"retraining\": {\"data\": \"test\"}}", "retraining.data"),
                Arguments.of("{\"retraining\": {\"size\": 1}}", "retraining.size"),
                Arguments.of("{\"retraining\": {\"learningRate\": -1}}", "retraining.learningRate"),
                Arguments.of("{\"retraining\": {\"testTimeAugmentation\": \"mirror\"}}",
                        "retraining.testTimeAugmentation"),
                Arguments.of("{\"recipe\": {\"name\": \"My Recipe\", \"version\": 1}}", "recipe.name"),
                Arguments.of("{\"recipe\": {\"name\": \"mine\"}}", "recipe.version"),
                Arguments.of("{\"recipe\": {\"name\": \"mine\", \"version\": 1, \"author\": \"x\"}}",
                        "recipe.author")));
        // Every registered controller refuses an option it does not declare, and every number out of range.
        for (var kind : Controllers.all()) {
            String name = kind.name();
            cases.add(Arguments.of("{\"controller\": \"" + name + "\", \"options\": {\"noSuchOption\": 1}}",
                    "options.noSuchOption"));
            for (Option o : kind.options()) {
                if (o.type() == Option.Type.INTEGER && o.max() < Long.MAX_VALUE) {
                    cases.add(Arguments.of("{\"controller\": \"" + name + "\", \"options\": {\"" + o.name() + "\": "
                            + ((long) (double) o.max() + 1) + "}}", "options." + o.name()));
                }
                if (o.type() == Option.Type.INTEGER || o.type() == Option.Type.NUMBER) {
                    cases.add(Arguments.of("{\"controller\": \"" + name + "\", \"options\": {\"" + o.name() + "\": "
                            + "\"lots\"}}", "options." + o.name()));
                }
                if (o.type() == Option.Type.CHOICE) {
                    cases.add(Arguments.of("{\"controller\": \"" + name + "\", \"options\": {\"" + o.name() + "\": "
                            + "\"no-such-choice\"}}", "options." + o.name()));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @MethodSource("badBodies")
    void badBodiesGet400NamingTheFieldAndStoreNothing(String body, String field) {
        long before = searchCount();
        given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/searches")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", not(containsString("internal")))
                .body("violations.field", hasItem(field))
                .body("violations.reason", not(hasItem(equalTo(""))));
        assertEquals(before, searchCount(), "a refused request stores no search");
    }

    /**
     * A recipe file is a request body as it is: the repository's flagship recipe, shrunk to seconds by
     * changing only its sizes (as the command line's flags do), is started over REST, keeps its name and
     * version, and retrains on every image of the training file.
     */
    @Test
    void theRepositoryRecipeIsABodyRestRunsAndRemembers(@TempDir Path dir) throws IOException {
        int trainingFile = 2_000;
        TestData.smallFashionMnist(dir, trainingFile, 500, 28);
        com.fasterxml.jackson.databind.node.ObjectNode recipe = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        Path.of("..", "recipes", "fmnist-under-100k.json").toFile());
        recipe.put("dataset", "idx:" + dir).put("trials", 3).put("epochs", 4).put("channels", 4)
                .put("trainSize", 600).put("validationSize", 200).put("warmStart", 4).put("retrainEpochs", 1)
                .put("threads", 1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) recipe.get("options")).put("population", 4);

        JsonPath search = Api.awaitSuccess(Api.start(recipe.toString()));
        assertEquals("fmnist-under-100k", search.getString("request.recipe.name"));
        assertEquals(recipe.get("recipe").get("version").asInt(), search.getInt("request.recipe.version"));
        assertEquals("all", search.getString("request.retraining.data"));
        assertEquals(recipe.get("retraining").get("augmentation").asText(),
                search.getString("request.retraining.augmentation"));
        List<Map<String, Object>> retrains = search.getList("retrains");
        assertEquals(1, retrains.size(), "retrains " + retrains);
        assertEquals(trainingFile, ((Number) retrains.get(0).get("trainImages")).intValue(),
                "retrained on the whole training file, not on the 800 images of the trials' splits");
    }

    @Test
    void malformedJsonSaysWhere() {
        given().contentType(ContentType.JSON).body("{\"trials\": 3,\n \"epochs\": }")
                .post("/api/searches")
                .then().statusCode(400)
                .body("error", startsWith("malformed JSON at line 2"));
    }

    @Test
    void numbersThatDoNotFitTheirFieldAreRefusedNotRounded() {
        given().contentType(ContentType.JSON).body("{\"trials\": 2.5}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("trials"))
                .body("violations[0].reason", equalTo("expected an integer, got 2.5"));
        given().contentType(ContentType.JSON).body("{\"seed\": 99999999999999999999}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("seed"))
                .body("violations[0].reason", containsString("out of range of long"));
    }

    @Test
    void unknownSearchesTrialsAndFormatsAreClearErrors() {
        long unknown = searchCount() + 1_000_000;
        given().get("/api/searches/{id}", unknown).then().statusCode(404)
                .body("status", equalTo(404))
                .body("error", containsString(Long.toString(unknown)));
        given().get("/api/searches/{id}/best/export?format=onnx", unknown).then().statusCode(404);
        given().get("/api/searches/{id}/trials/1/export?format=json", unknown).then().statusCode(404);
        given().get("/api/searches/{id}/best/export?format=tflite", 1).then().statusCode(400)
                .body("violations[0].field", equalTo("format"))
                .body("violations[0].reason", containsString("[json, onnx, pytorch]"));
        given().get("/api/searches?limit=0").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        given().get("/api/searches?offset=-1").then().statusCode(400)
                .body("violations[0].field", equalTo("offset"));
    }

    @Test
    void theCatalogListsWhatRequestsMayName() throws IOException {
        JsonPath catalog = Api.json(given().get("/api/catalog").then().statusCode(200).extract().asString());
        assertEquals(Spaces.names(), catalog.getList("spaces"));
        assertEquals(Controllers.names(), catalog.getList("controllers.name"));
        for (var kind : Controllers.all()) {
            List<String> options = catalog.getList("controllers.find { it.name == '" + kind.name() + "' }.options.name");
            assertEquals(kind.options().stream().map(Option::name).toList(), options, kind.name());
        }
        assertEquals(List.of("none", "median", "halving"), catalog.getList("earlyStopping.name"));
        assertEquals(List.of("minEpochs", "reduction"),
                catalog.getList("earlyStopping.find { it.name == 'halving' }.options.name"));
        assertFalse(catalog.getList("earlyStopping.find { it.name == 'none' }.options").iterator().hasNext());
        assertEquals(List.of("standalone", "weight-sharing"), catalog.getList("modes"));
        assertEquals(List.of("epochs", "sampling", "finalists", "checkpoints"), catalog.getList("supernet.name"));
        assertEquals(List.of("data", "augmentation", "learningRate", "batchSize", "minutes", "testTimeAugmentation"),
                catalog.getList("retraining.name"));
        assertEquals(List.of("none", "flip", "flip-shift"),
                catalog.getList("retraining.find { it.name == 'testTimeAugmentation' }.choices"));
        assertEquals(List.of("darts"), catalog.getList("controllers.findAll { it.oneShot }.name"));
        // The server's recipes, each with the request it keeps.
        org.cellforge.engine.SearchRequest flagship = org.cellforge.engine.Recipe.read(Path.of("..", "recipes",
                "fmnist-under-100k.json"));
        String recipe = "recipes.find { it.label == '" + flagship.recipeLabel() + "' }";
        assertEquals(flagship.recipe().get("description"), catalog.getString(recipe + ".description"));
        assertEquals(flagship.retrainEpochs().intValue(), catalog.getInt(recipe + ".request.retrainEpochs"));
        assertEquals(flagship.controller(), catalog.getString(recipe + ".request.controller"));
        List<String> labels;
        try (var files = java.nio.file.Files.list(Path.of("..", "recipes"))) {
            labels = files.filter(f -> f.toString().endsWith(".json")).map(org.cellforge.engine.Recipe::read)
                    .map(org.cellforge.engine.SearchRequest::recipeLabel).sorted().toList();
        }
        assertEquals(labels, catalog.getList("recipes.label"), "every recipe file of the repository, by label");
    }

    private long searchCount() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select count(s) from SearchEntity s",
                Long.class).getSingleResult());
    }
}
