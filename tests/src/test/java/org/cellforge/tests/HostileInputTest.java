package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What an operator's client can send wrong, across every endpoint: malformed and mistyped JSON,
 * numbers negative, zero, huge, NaN and in exponent form, unknown fields and names, injection
 * strings, dataset paths that try to leave the dataset roots, bodies too large or too deep, bad ids
 * and parameters, wrong methods and content types. Each is answered with the status it deserves, in
 * the one JSON error shape, naming the field where one is to blame, with no class or stack trace in
 * it; and the database holds as many rows afterwards as before.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class HostileInputTest {

    /**
     * One hostile request.
     *
     * @param field the field the answer must name, or null when no field is to blame
     */
    record Hostile(String method, String path, String contentType, String body, int status, String field) {
        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body);
            return method + " " + path + shown + " -> " + status + (field == null ? "" : " naming " + field);
        }
    }

    private static Hostile post(String body, String field) {
        return new Hostile("POST", "/api/searches", "application/json", body, 400, field);
    }

    private static Hostile call(String method, String path, int status, String field) {
        return new Hostile(method, path, null, null, status, field);
    }

    static Stream<Hostile> requests() {
        String deep = "{\"options\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        String huge = "{\"recipe\": {\"description\": \"" + "x".repeat(2 << 20) + "\"}}";
        List<Hostile> all = new ArrayList<>(List.of(
                // Bodies of a new search.
                post("{\"trials\": ", "body"),
                post("{\"trials\": 3} trailing", "body"),
                post("[]", "body"),
                post("null", "body"),
                post("\"a string\"", "body"),
                post("{\"trials\": -1}", "trials"),
                post("{\"trials\": 0}", "trials"),
                post("{\"trials\": 1e9}", "trials"),
                post("{\"trials\": 1e400}", "trials"),
                post("{\"trials\": true}", "trials"),
                post("{\"trials\": \"3\"}", "trials"),
                post("{\"learningRate\": \"0.1\"}", "learningRate"),
                post("{\"dataset\": 5}", "dataset"),
                post("{\"trials\": [1, 2]}", "trials"),
                post("{\"trials\": {\"n\": 1}}", "trials"),
                post("{\"epochs\": 99999999999}", "epochs"),
                post("{\"seed\": 1e30}", "seed"),
                post("{\"learningRate\": NaN}", "body"),
                post("{\"learningRate\": -0.5}", "learningRate"),
                post("{\"learningRate\": \"fast\"}", "learningRate"),
                post("{\"channels\": 0}", "channels"),
                post("{\"batchSize\": -5}", "batchSize"),
                post("{\"warmStart\": -1}", "warmStart"),
                post("{\"unknownField\": 1}", "unknownField"),
                post("{\"controller\": \"'; drop table search; --\"}", "controller"),
                post("{\"space\": \"<script>alert(1)</script>\"}", "space"),
                post("{\"mode\": \"telepathy\"}", "mode"),
                post("{\"optimizer\": \"adam; rm -rf /\"}", "optimizer"),
                post("{\"augmentation\": \"${jndi:ldap://x/a}\"}", "augmentation"),
                post("{\"controller\": \"evolution\", \"options\": {\"population\": \"many\"}}", "options.population"),
                post("{\"options\": []}", "options"),
                post("{\"trials\": 5, \"trials\": 50000}", "trials"),
                post("{\"trials\": \"\"}", "trials"),
                post("{\"learningRate\": \"\"}", "learningRate"),
                post("{\"controller\": \"evolution\", \"options\": {\"population\": 3, \"population\": 40}}",
                        "options.population"),
                post("{\"earlyStopping\": {\"rule\": \"median\", \"minTrials\": -1}}", "earlyStopping.minTrials"),
                post("{\"retraining\": {\"learningRate\": \"fast\"}}", "retraining.learningRate"),
                post("{\"recipe\": {\"name\": \"../../etc/passwd\", \"version\": 1}}", "recipe.name"),
                // Architectures are not part of a request: a field that tries to carry one is unknown.
                post("{\"arch\": \"|nor_conv_3x3~0|+|\"}", "arch"),
                // Dataset paths outside the roots, existing or not, traversals, relative and odd ones.
                post("{\"dataset\": \"idx:/etc\"}", "dataset"),
                post("{\"dataset\": \"idx:/no/such/directory\"}", "dataset"),
                post("{\"dataset\": \"folder:../../etc\"}", "dataset"),
                post("{\"dataset\": \"cifar10:" + System.getProperty("java.io.tmpdir") + "/../../root\"}", "dataset"),
                post("{\"dataset\": \"cifar100:relative/dir\"}", "dataset"),
                post("{\"dataset\": \"idx:\\u0000\"}", "dataset"),
                post("{\"dataset\": \"ftp://example.org/data\"}", "dataset"),
                post(deep, "options"),
                new Hostile("POST", "/api/searches", "application/json", huge, 413, null),
                new Hostile("POST", "/api/searches", "text/plain", "{\"trials\": 1}", 415, "Content-Type"),
                new Hostile("POST", "/api/searches", "application/x-www-form-urlencoded", "trials=1", 415,
                        "Content-Type"),
                // Ids and query parameters.
                call("GET", "/api/searches/abc", 400, "id"),
                call("GET", "/api/searches/-1", 400, "id"),
                call("GET", "/api/searches/0", 400, "id"),
                call("GET", "/api/searches/99999999999999999999", 400, "id"),
                call("GET", "/api/searches/1%20or%201=1", 400, "id"),
                call("GET", "/api/searches/999999", 404, null),
                call("GET", "/api/searches?limit=abc", 400, "limit"),
                call("GET", "/api/searches?limit=0", 400, "limit"),
                call("GET", "/api/searches?limit=100000", 400, "limit"),
                call("GET", "/api/searches?offset=-1", 400, "offset"),
                call("GET", "/api/searches?status=sideways", 400, "status"),
                call("GET", "/api/searches/1/trials?sort=name", 400, "sort"),
                call("GET", "/api/searches/1/trials?order=up", 400, "order"),
                call("GET", "/api/searches/999999/trials", 404, null),
                call("GET", "/api/searches/1/trials/zero", 400, "number"),
                call("GET", "/api/searches/1/trials/0", 400, "number"),
                call("GET", "/api/searches/1/best/export?format=exe", 400, "format"),
                call("GET", "/api/searches/1/trials/1/export?format=..%2F..%2Fetc", 400, "format"),
                call("GET", "/api/searches/999999/best/export", 404, null),
                call("GET", "/api/no-such-thing", 404, null),
                // Changes on bad ids, with bad bodies, with the wrong method.
                call("POST", "/api/searches/abc/cancel", 400, "id"),
                call("POST", "/api/searches/999999/cancel", 404, null),
                call("POST", "/api/searches/999999/pause", 404, null),
                call("POST", "/api/searches/999999/resume", 404, null),
                new Hostile("POST", "/api/searches/999999/retrain", "application/json", "{\"trials\": [1]}", 404, null),
                new Hostile("POST", "/api/searches/1/retrain", "application/json", "{\"trials\": \"all\"}", 400,
                        "trials"),
                new Hostile("POST", "/api/searches/1/retrain", "application/json", "{\"trials\": [1], \"epochs\": "
                        + "\"ten\"}", 400, "epochs"),
                new Hostile("POST", "/api/searches/1/retrain", "application/json", "{\"trials\": [1], \"epochs\": "
                        + "\"3\"}", 400, "epochs"),
                new Hostile("POST", "/api/searches/1/retrain", "application/json", "{", 400, "body"),
                // Accounts: bad names, roles and passwords, wrong types, and not a body.
                new Hostile("POST", "/api/accounts", "application/json", "{\"name\": \"x'; drop table account; "
                        + "--\", \"role\": \"viewer\"}", 400, "name"),
                new Hostile("POST", "/api/accounts", "application/json", "{\"name\": 5, \"role\": \"viewer\"}",
                        400, "name"),
                new Hostile("POST", "/api/accounts", "application/json", "{\"name\": \"ann\", \"role\": "
                        + "\"root\"}", 400, "role"),
                new Hostile("POST", "/api/accounts", "application/json", "{\"name\": \"ann\", \"role\": "
                        + "\"viewer\", \"password\": \"1234\"}", 400, "password"),
                new Hostile("POST", "/api/accounts", "text/plain", "name=ann", 415, "Content-Type"),
                new Hostile("PATCH", "/api/accounts/ann", "application/json", "{\"generatePassword\": \"yes\"}",
                        400, "generatePassword"),
                call("DELETE", "/api/accounts/..%2F..%2Fetc", 400, "name"),
                new Hostile("PUT", "/api/account/password", "application/json", "[]", 400, "body"),
                call("DELETE", "/api/searches/abc", 400, "id"),
                call("DELETE", "/api/searches/999999", 404, null),
                call("DELETE", "/api/searches/1/checkpoints?keep=-2", 400, "keep"),
                call("DELETE", "/api/searches/1/checkpoints?keep=lots", 400, "keep"),
                call("PUT", "/api/searches", 405, null),
                call("PATCH", "/api/searches/1", 405, null),
                call("POST", "/api/catalog", 405, null)));
        return all.stream();
    }

    /** The reason beside the field: a quoted number is named as text, and a field given twice as such. */
    @Test
    void theReasonSaysWhatWasGivenAndWhatWasExpected() {
        assertReason(given().contentType("application/json").body("{\"trials\": \"3\"}").post("/api/searches"),
                "trials", "expected an integer, got text '3'");
        assertReason(given().contentType("application/json").body("{\"learningRate\": \"0.1\"}")
                .post("/api/searches"), "learningRate", "expected a number, got text '0.1'");
        assertReason(given().contentType("application/json").body("{\"generatePassword\": \"true\"}")
                .patch("/api/accounts/ann"), "generatePassword", "expected true or false, got text 'true'");
        // An empty text was taken as no value, and the default ran.
        assertReason(given().contentType("application/json").body("{\"trials\": \"\"}").post("/api/searches"),
                "trials", "expected an integer, got text ''");
        Response nested = given().contentType("application/json").body("{\"controller\": \"evolution\", \"options\": "
                + "{\"population\": 3, \"population\": 40}}").post("/api/searches");
        assertReason(nested, "options.population", "given twice");
        Response twice = given().contentType("application/json").body("{\"trials\": 5, \"trials\": 50000}")
                .post("/api/searches");
        assertReason(twice, "trials", "given twice");
        assertTrue(twice.jsonPath().getString("error").contains("Duplicate field 'trials'"), twice.asString());
    }

    private static void assertReason(Response answer, String field, String reason) {
        assertEquals(400, answer.statusCode(), answer.asString());
        assertEquals(List.of(field), answer.jsonPath().getList("violations.field"), answer.asString());
        assertEquals(List.of(reason), answer.jsonPath().getList("violations.reason"), answer.asString());
    }

    @Inject
    EntityManager em;

    private long rows() {
        return QuarkusTransaction.requiringNew().call(() -> (Long) em.createNativeQuery("select (select count(*) from "
                + "search) + (select count(*) from trial) + (select count(*) from trial_checkpoint) + (select count(*) "
                + "from retrain) + (select count(*) from account)", Long.class).getSingleResult());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void isRefusedPlainlyAndChangesNothing(Hostile h) {
        long before = rows();
        RequestSpecification r = given().urlEncodingEnabled(false);
        if (h.contentType() != null) {
            r = r.contentType(h.contentType());
        }
        if (h.body() != null) {
            // Bytes, so that nothing re-encodes them; a form's encoder takes only text.
            r = h.contentType().startsWith("application/x-www-form-urlencoded") ? r.body(h.body())
                    : r.body(h.body().getBytes(StandardCharsets.UTF_8));
        }
        Response answer = r.request(h.method(), h.path());
        String body = answer.asString();
        assertEquals(h.status(), answer.statusCode(), body);
        if (h.status() != 413) {
            assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
            JsonPath json = new JsonPath(body);
            assertEquals(h.status(), json.getInt("status"), body);
            assertFalse(json.getString("error").isBlank(), body);
            if (h.field() != null) {
                assertTrue(json.getList("violations.field").contains(h.field()), body);
            }
        }
        for (String internal : List.of("Exception", "java.", "org.", "com.fasterxml", "\tat ")) {
            assertFalse(body.contains(internal), "the answer names no internals (" + internal + "): " + body);
        }
        assertEquals(before, rows(), "nothing stored or removed");
    }
}
