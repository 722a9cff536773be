package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * What the API refuses before any search is touched: changes sent by a browser from another origin,
 * bodies that are not JSON or too large, paths and parameters it does not serve. Every refusal is the
 * one JSON error shape, and none stores anything.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ApiBoundariesTest {

    /** A body the search endpoint refuses as a request (400): reaching that answer means the guard let it by. */
    private static final String INVALID = "{\"trials\": 0}";

    @Inject
    EntityManager em;

    private long searches() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select count(s) from SearchEntity s",
                Long.class).getSingleResult());
    }

    @Test
    void aBodyThatIsNotJsonIs415EvenWithoutAContentType() throws Exception {
        long before = searches();
        // What a cross-site form or fetch without preflight can send: it once started a search.
        given().contentType("text/plain").body("{\"trials\": 1}").post("/api/searches").then().statusCode(415)
                .contentType(ContentType.JSON).body("status", equalTo(415))
                .body("violations[0].field", equalTo("Content-Type"));
        given().contentType("application/x-www-form-urlencoded").body("trials=1").post("/api/searches").then()
                .statusCode(415);
        // Java's client adds no Content-Type of its own, as a bare fetch() or curl --data-binary may not either.
        HttpResponse<String> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                RestAssured.baseURI + ":" + RestAssured.port + "/api/searches"))
                .header("Authorization", TestUsers.operatorHeader()).POST(HttpRequest.BodyPublishers
                .ofString("{\"trials\": 1}", StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, bare.statusCode(), bare.body());
        assertTrue(bare.body().contains("no Content-Type"), bare.body());
        given().contentType("application/json; charset=UTF-8").body(INVALID).post("/api/searches").then()
                .statusCode(400).body("violations[0].field", equalTo("trials"));
        assertEquals(before, searches());
    }

    @Test
    void aBrowserRequestFromAnotherOriginChangesNothing() {
        long before = searches();
        given().header("Origin", "https://elsewhere.example").contentType(ContentType.JSON).body(INVALID)
                .post("/api/searches").then().statusCode(403).contentType(ContentType.JSON)
                .body("error", containsString("cross-site"));
        // Bodyless actions too: a cross-site form could otherwise cancel any search.
        given().header("Origin", "https://elsewhere.example").post("/api/searches/1/cancel").then().statusCode(403);
        given().header("Origin", "null").post("/api/searches/1/pause").then().statusCode(403);
        given().header("Sec-Fetch-Site", "cross-site").post("/api/searches/1/resume").then().statusCode(403);
        // The server's own pages send their own origin, and reach the endpoint.
        given().header("Origin", RestAssured.baseURI + ":" + RestAssured.port).contentType(ContentType.JSON).body(INVALID).post("/api/searches")
                .then().statusCode(400);
        // Reading is not a change: exports and lists stay open to links from elsewhere.
        given().header("Origin", "https://elsewhere.example").get("/api/catalog").then().statusCode(200);
        assertEquals(before, searches());
    }

    @Test
    void aBodyOverTheLimitIs413() {
        long before = searches();
        String huge = "{\"space\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/searches").then().statusCode(413);
        assertEquals(before, searches());
    }

    @Test
    void unknownApiPathsAreJson404NotTheDashboardPage() {
        given().get("/api/nothing-here").then().statusCode(404).contentType(ContentType.JSON)
                .body("status", equalTo(404)).body("error", containsString("/api/nothing-here"));
        given().contentType(ContentType.JSON).body("{}").post("/api/search").then().statusCode(404)
                .contentType(ContentType.JSON);
        given().delete("/api/searches/x/y/z").then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void malformedIdsAndParametersAre400NamingThem() {
        given().get("/api/searches/abc").then().statusCode(400).contentType(ContentType.JSON)
                .body("violations[0].field", equalTo("id"))
                .body("violations[0].reason", containsString("'abc'"));
        given().get("/api/searches/0").then().statusCode(400).body("violations[0].field", equalTo("id"));
        given().post("/api/searches/1e3/cancel").then().statusCode(400).body("violations[0].field", equalTo("id"));
        given().get("/api/searches/1/trials/first/export").then().statusCode(400)
                .body("violations[0].field", equalTo("number"));
        given().get("/api/searches?limit=abc").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"))
                .body("violations[0].reason", containsString("'abc'"));
        given().get("/api/searches?offset=99999999999").then().statusCode(400)
                .body("violations[0].field", equalTo("offset"));
    }

    /** The OpenAPI document gives each endpoint the answers it really gives, errors in their one shape. */
    @Test
    void theOpenApiDocumentStatesTheRealAnswers() {
        io.restassured.path.json.JsonPath doc = given().auth().none().accept(ContentType.JSON)
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        java.util.Map<String, Object> start = doc.getMap("paths.'/api/searches'.post.responses");
        assertEquals(java.util.Set.of("201", "400", "401", "403", "413", "415"), start.keySet());
        assertEquals("#/components/schemas/ApiError",
                doc.getString("paths.'/api/searches'.post.responses.'400'.content.'application/json'.schema.$ref"));
        assertEquals(java.util.Set.of("200", "400", "401", "403"), doc.getMap("paths.'/api/searches'.get.responses")
                .keySet());
        assertEquals(java.util.Set.of("204", "400", "401", "403", "404", "409"),
                doc.getMap("paths.'/api/searches/{id}'.delete.responses").keySet());
        assertEquals(java.util.Set.of("202", "400", "401", "403", "404", "409"),
                doc.getMap("paths.'/api/searches/{id}/cancel'.post.responses").keySet());
        assertEquals(java.util.Set.of("status", "error", "violations"),
                doc.getMap("components.schemas.ApiError.properties").keySet());
    }
}
