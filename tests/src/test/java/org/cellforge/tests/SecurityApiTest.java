package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may call what. Without credentials every API call is 401 with a Basic challenge in the API's
 * JSON error shape; a viewer reads but every change is 403; an operator changes. Users come from the
 * configuration (the test profile's) and from the accounts table; the dashboard's login form sets a
 * cookie the API accepts too. No refused call stores anything.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SecurityApiTest {

    /** A request the search endpoint would accept: a refusal of it is about who asks, not what. */
    private static final Map<String, Object> VALID = Api.tiny("nas-bench-201", "random", 1);

    /** Every change the API offers, on a search id that need not exist: the role is checked first. */
    private static final List<String> CHANGES = List.of("/api/searches/1/cancel", "/api/searches/1/pause",
            "/api/searches/1/resume");

    @Inject
    EntityManager em;

    private long rows() {
        return QuarkusTransaction.requiringNew().call(() -> (Long) em.createNativeQuery(
                "select (select count(*) from search) + (select count(*) from trial) + (select count(*) from retrain)",
                Long.class).getSingleResult());
    }

    private static void assertChallenged(Response r) {
        r.then().statusCode(401).contentType(ContentType.JSON).header("WWW-Authenticate", startsWith("Basic realm="))
                .body("status", equalTo(401)).body("error", containsString("authentication required"));
    }

    @Test
    void anonymousCallsAre401WithABasicChallengeAndChangeNothing() {
        long before = rows();
        for (String path : List.of("/api/searches", "/api/catalog", "/api/searches/1", "/api/searches/1/trials",
                "/api/searches/1/trials/1", "/api/searches/1/best/export", "/api/no-such-endpoint")) {
            assertChallenged(given().auth().none().get(path));
        }
        assertChallenged(given().auth().none().contentType(ContentType.JSON).body(VALID).post("/api/searches"));
        assertChallenged(given().auth().none().contentType(ContentType.JSON).body("{\"trials\": [1]}")
                .post("/api/searches/1/retrain"));
        for (String change : CHANGES) {
            assertChallenged(given().auth().none().post(change));
        }
        assertEquals(before, rows());
        // Probes stay open: an orchestrator checks them without an account.
        given().auth().none().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIs401() {
        long before = rows();
        assertChallenged(given().auth().preemptive().basic(TestUsers.OPERATOR, "not-the-password")
                .contentType(ContentType.JSON).body(VALID).post("/api/searches"));
        assertChallenged(given().auth().preemptive().basic("nobody", "whatever").get("/api/searches"));
        assertEquals(before, rows());
    }

    @Test
    void aViewerReadsButEveryChangeIs403() {
        long before = rows();
        asViewer().get("/api/searches").then().statusCode(200);
        asViewer().get("/api/catalog").then().statusCode(200).body("spaces", hasItem("nas-bench-201"));
        assertForbidden(asViewer()
                .contentType(ContentType.JSON).body(VALID).post("/api/searches"));
        assertForbidden(asViewer()
                .contentType(ContentType.JSON).body("{\"trials\": [1]}").post("/api/searches/1/retrain"));
        for (String change : CHANGES) {
            assertForbidden(asViewer()
                    .post(change));
        }
        assertEquals(before, rows());
    }

    private static RequestSpecification asViewer() {
        return given().auth().preemptive().basic(TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD);
    }

    private static void assertForbidden(Response r) {
        r.then().statusCode(403).contentType(ContentType.JSON).body("status", equalTo(403))
                .body("error", containsString("operator"));
    }

    @Test
    void anOperatorStartsAndCancels() {
        // A budget no machine spends before the cancel arrives, so the cancel always finds it live.
        long id = Api.start(Api.tiny("nas-bench-201", "random", 1_000));
        given().auth().preemptive().basic(TestUsers.OPERATOR, TestUsers.OPERATOR_PASSWORD)
                .post("/api/searches/{id}/cancel", id).then().statusCode(202);
        assertEquals("INTERRUPTED", Api.awaitEnd(id).getString("status"));
        // Past the role check, an unknown search is what is wrong.
        given().post("/api/searches/999999/pause").then().statusCode(404);
    }

    @Test
    void noFirstOperatorIsMadeWhenTheConfigurationHasUsers() {
        long accounts = QuarkusTransaction.requiringNew().call(() -> (Long) em.createNativeQuery(
                "select count(*) from account where name = 'operator'", Long.class).getSingleResult());
        assertEquals(0, accounts);
    }

    @Test
    void accountsInTheDatabaseSignInWithTheirRole() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("insert into account (name, password_hash, role) values (?1, ?2, 'viewer'), "
                    + "(?3, ?4, 'operator')")
                    .setParameter(1, "db-viewer").setParameter(2, BcryptUtil.bcryptHash("viewer-pass-1"))
                    .setParameter(3, "db-operator").setParameter(4, BcryptUtil.bcryptHash("operator-pass-1"))
                    .executeUpdate();
        });
        try {
            long before = rows();
            given().auth().preemptive().basic("db-viewer", "viewer-pass-1").get("/api/searches").then().statusCode(200);
            assertForbidden(given().auth().preemptive().basic("db-viewer", "viewer-pass-1")
                    .post("/api/searches/1/cancel"));
            assertChallenged(given().auth().preemptive().basic("db-viewer", "operator-pass-1").get("/api/searches"));
            assertEquals(before, rows());
            given().auth().preemptive().basic("db-operator", "operator-pass-1").post("/api/searches/999999/cancel")
                    .then().statusCode(404);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "delete from account where name in ('db-viewer', 'db-operator')").executeUpdate());
        }
    }

    @Test
    void theLoginFormSetsACookieThatTheApiAccepts() {
        Response failed = given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("username", TestUsers.VIEWER).formParam("password", "wrong")
                .post("/j_security_check");
        failed.then().statusCode(302).header("Location", containsString("login?error"));
        assertEquals(null, failed.getCookie("cellforge-credential"));

        Response signedIn = given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("username", TestUsers.VIEWER).formParam("password", TestUsers.VIEWER_PASSWORD)
                .post("/j_security_check");
        signedIn.then().statusCode(302).header("Location", endsWith("/"));
        String cookie = signedIn.getCookie("cellforge-credential");
        io.restassured.http.Cookie detailed = signedIn.getDetailedCookie("cellforge-credential");
        assertEquals(true, detailed.isHttpOnly(), "no script in a page can read the credential");
        assertEquals("Strict", detailed.getSameSite());
        given().auth().none().cookie("cellforge-credential", cookie).get("/api/searches").then().statusCode(200);
        // The cookie carries the viewer's role, not more.
        given().auth().none().cookie("cellforge-credential", cookie).post("/api/searches/1/cancel").then()
                .statusCode(403);
    }
}
