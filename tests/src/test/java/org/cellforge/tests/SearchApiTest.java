package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SearchApiTest {

    /** A search small enough for CI: three trials of one epoch on 600 images at width 4. */
    static final String TINY_SEARCH = """
            {"space": "nas-bench-201", "controller": "random", "trials": 3, "epochs": 1, "seed": 7,
             "channels": 4, "cellsPerStage": 1, "batchSize": 50, "trainSize": 600, "validationSize": 200}
            """;

    @Inject
    EntityManager em;

    static JsonPath awaitFinished(long id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath search = given().get("/api/searches/{id}", id).then().statusCode(200).extract().jsonPath();
            String status = search.getString("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return search;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("search " + id + " did not finish in time");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRandomSearchRunsStoresItsTrialsAndExportsTheBest() throws InterruptedException, OrtException {
        long id = given().contentType(ContentType.JSON).body(TINY_SEARCH)
                .post("/api/searches")
                .then().statusCode(201)
                .header("Location", containsString("/api/searches/"))
                .body("status", equalTo("QUEUED"))
                .extract().jsonPath().getLong("id");

        JsonPath search = awaitFinished(id);
        assertEquals("SUCCEEDED", search.getString("status"), () -> "error: " + search.getString("error"));
        List<Map<String, Object>> trials = search.getList("trials");
        assertEquals(3, trials.size());
        Set<String> archs = new HashSet<>();
        for (Map<String, Object> t : trials) {
            assertEquals("SUCCEEDED", t.get("status"));
            Nb201Space.standard().parse((String) t.get("arch"));
            archs.add((String) t.get("arch"));
            double acc = ((Number) t.get("validationAccuracy")).doubleValue();
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        }
        assertEquals(3, archs.size(), "trials must have distinct genotypes");
        assertEquals(3, archs.stream().map(a -> Nb201Space.standard().canonical(Nb201Space.standard().parse(a)))
                .distinct().count(), "random search must not train the same function twice");

        // What REST reported is what Postgres holds.
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select t.arch, t.validationAccuracy, t.status from TrialEntity t where t.search.id = :id",
                        Object[].class)
                .setParameter("id", id).getResultList());
        assertEquals(3, rows.size());
        Set<String> stored = new HashSet<>();
        for (Object[] row : rows) {
            stored.add((String) row[0]);
            double acc = (Double) row[1];
            assertTrue(acc >= 0 && acc <= 1);
            assertEquals("SUCCEEDED", row[2].toString());
        }
        assertEquals(archs, stored);

        given().get("/api/searches").then().statusCode(200).body("id", hasItem((int) id));

        JsonPath export = given().get("/api/searches/{id}/best/export?format=json", id)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("cellforge-genotype", export.getString("format"));
        assertEquals(1, export.getInt("version"));
        Nb201Cell fromString = Nb201Space.standard().parse(export.getString("arch"));
        List<Map<String, Object>> edges = export.getList("edges");
        String[] ops = new String[Nb201Cell.EDGES];
        for (Map<String, Object> e : edges) {
            ops[Nb201Cell.edge((Integer) e.get("from"), (Integer) e.get("to"))] = (String) e.get("op");
        }
        assertEquals(fromString, Nb201Cell.of(ops), "edge list and arch string describe the same cell");
        double best = trials.stream().mapToDouble(t -> ((Number) t.get("validationAccuracy")).doubleValue()).max()
                .orElseThrow();
        assertEquals(best, export.getDouble("validationAccuracy"), 1e-6);
        assertTrue(archs.contains(export.getString("arch")));
        assertNotNull(export.getString("accuracyKind"));
        // What the evaluator counted on the built network agrees with the search space's formulas.
        Nb201Macro macro = new Nb201Macro(export.getInt("macro.channels"), export.getInt("macro.cellsPerStage"),
                export.getInt("macro.inputChannels"), export.getInt("macro.classes"));
        assertEquals(macro.parameters(fromString), export.getLong("parameters"));
        assertEquals(macro.flops(OpRegistry.builtIn(), fromString, 28, 28), export.getLong("flops"));
        assertEquals(Nb201Space.standard().canonical(fromString).hash(), export.getString("canonical"));

        String python = given().get("/api/searches/{id}/best/export?format=pytorch", id)
                .then().statusCode(200).contentType(containsString("text/x-python"))
                .header("Content-Disposition", containsString("search-" + id + "-best.py"))
                .extract().asString();
        assertTrue(python.contains("ARCH = \"" + export.getString("arch") + "\""), python);
        assertTrue(python.contains("CHANNELS = " + export.getInt("macro.channels")), python);

        // The best trial's trained network, run by ONNX Runtime on two images.
        byte[] onnx = given().get("/api/searches/{id}/best/export?format=onnx", id)
                .then().statusCode(200).header("Content-Disposition", containsString("search-" + id + "-best.onnx"))
                .extract().asByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 28 * 28]),
                        new long[] {2, 1, 28, 28});
                OrtSession.Result out = session.run(Map.of("input", input))) {
            float[][] logits = (float[][]) out.get("logits").orElseThrow().getValue();
            assertEquals(2, logits.length);
            assertEquals(10, logits[0].length);
            assertEquals(export.getString("arch"), session.getMetadata().getCustomMetadata().get("cellforge.arch"));
        }

        // Every trial reported its epoch while it ran.
        for (Map<String, Object> t : trials) {
            List<Map<String, Object>> epochs = (List<Map<String, Object>>) t.get("epochs");
            assertEquals(1, epochs.size(), "epochs of trial " + t.get("number"));
            assertEquals(((Number) t.get("validationAccuracy")).doubleValue(),
                    ((Number) epochs.get(0).get("validationAccuracy")).doubleValue(), 1e-9);
            assertTrue(((Number) epochs.get(0).get("imagesPerSecond")).doubleValue() > 0);
        }
    }

    @Test
    void aSearchOnACifarDirectoryTrainsWithTheChosenRecipeAndExportsItsShape(@TempDir Path dir)
            throws IOException, InterruptedException {
        // Random CIFAR-10 binary files: the search must read, split and train on 3x32x32 images.
        SplittableRandom random = new SplittableRandom(3);
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin")) {
            byte[] records = new byte[100 * 3073];
            for (int i = 0; i < records.length; i++) {
                records[i] = (byte) (i % 3073 == 0 ? random.nextInt(10) : random.nextInt(256));
            }
            Files.write(dir.resolve(name), records);
        }
        String body = """
                {"trials": 1, "epochs": 1, "channels": 4, "batchSize": 50, "trainSize": 300, "validationSize": 100,
                 "dataset": "cifar10:%s", "optimizer": "adam", "augmentation": "crop-flip-cutout"}
                """.formatted(dir);
        long id = given().contentType(ContentType.JSON).body(body).post("/api/searches")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath search = awaitFinished(id);
        assertEquals("SUCCEEDED", search.getString("status"), () -> "error: " + search.getString("error"));
        assertEquals("cifar10:" + dir, search.getString("dataset"));
        assertEquals("adam", search.getString("optimizer"));
        assertEquals("crop-flip-cutout", search.getString("augmentation"));
        Object[] recipe = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select s.optimizer, s.learningRate, s.augmentation from SearchEntity s where s.id = :id",
                Object[].class).setParameter("id", id).getSingleResult());
        assertEquals(List.of("adam", 1e-3, "crop-flip-cutout"), List.of(recipe));
        JsonPath export = given().get("/api/searches/{id}/best/export?format=json", id)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, export.getInt("macro.inputChannels"));
        assertEquals(10, export.getInt("macro.classes"));
        Nb201Cell cell = Nb201Space.standard().parse(export.getString("arch"));
        Nb201Macro macro = new Nb201Macro(4, 1, 3, 10);
        assertEquals(macro.flops(OpRegistry.builtIn(), cell, 32, 32), export.getLong("flops"));
    }

    @Test
    void missingDatasetFilesGet400NamingTheField(@TempDir Path dir) {
        given().contentType(ContentType.JSON).body("{\"dataset\": \"cifar10:" + dir.resolve("none") + "\"}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("dataset"))
                .body("violations[0].reason", containsString("does not exist"));
        given().contentType(ContentType.JSON).body("{\"dataset\": \"cifar10:" + dir + "\"}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("dataset"))
                .body("violations[0].reason", containsString("data_batch_1.bin not found"));
    }

    @Test
    void badBodiesGet400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"trials\": 0, \"space\": \"nb301\"}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations.field", hasItem("trials"))
                .body("violations.field", hasItem("space"))
                .body("violations.reason", hasItem(containsString("between 1 and")));
        given().contentType(ContentType.JSON).body("{\"trails\": 3}").log().ifValidationFails()
                .post("/api/searches")
                .then().statusCode(400)
                .log().ifValidationFails().body("violations[0].field", equalTo("trails"))
                .body("violations[0].reason", containsString("unknown field"));
        given().contentType(ContentType.JSON).body("{\"trials\": \"many\"}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("trials"))
                .body("violations[0].reason", containsString("integer"));
        given().contentType(ContentType.JSON).body("{\"trials\": 3")
                .post("/api/searches")
                .then().statusCode(400)
                .body("error", containsString("malformed JSON"));
        given().contentType(ContentType.JSON).body("{\"trainSize\": 59000, \"validationSize\": 5000}")
                .post("/api/searches")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("validationSize"));
    }

    @Test
    void unknownSearchesAndFormatsAreClearErrors() {
        given().get("/api/searches/{id}", 987654).then().statusCode(404)
                .body("error", containsString("987654"));
        given().get("/api/searches/{id}/best/export?format=tflite", 1).then().statusCode(400)
                .body("violations[0].field", equalTo("format"))
                .body("violations[0].reason", containsString("[json, onnx, pytorch]"));
        given().get("/api/searches/{id}/best/export?format=onnx", 987654).then().statusCode(404);
        given().get("/api/searches?limit=0").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }
}
