package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Database accounts managed over REST while the server runs: an operator makes, changes and removes
 * them, the last operator account stays, every account changes its own password, and each change
 * applies to the very next call, Basic or the dashboard's cookie alike.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AccountsApiTest {

    @Inject
    EntityManager em;

    @BeforeEach
    void noAccounts() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from account").executeUpdate());
    }

    private long accounts() {
        return QuarkusTransaction.requiringNew().call(() -> (Long) em.createNativeQuery(
                "select count(*) from account", Long.class).getSingleResult());
    }

    private static RequestSpecification as(String name, String password) {
        return given().auth().preemptive().basic(name, password);
    }

    private static Response create(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/accounts");
    }

    /** A call only an operator may make, on a search that does not exist: 404 past the role check, 403 before. */
    private static int operatorCall(RequestSpecification who) {
        return who.post("/api/searches/999999/cancel").statusCode();
    }

    @Test
    void anOperatorMakesAViewerWhosePasswordIsShownOnceAndWhoOnlyReads() {
        Response made = create(Map.of("name", "vera", "role", "viewer"));
        made.then().statusCode(201).header("Location", containsString("/api/accounts/vera"))
                .body("name", equalTo("vera")).body("role", equalTo("viewer"));
        String password = made.jsonPath().getString("password");
        assertEquals(20, password.length(), "a generated password comes back this once");

        as("vera", password).get("/api/searches").then().statusCode(200);
        assertEquals(403, operatorCall(as("vera", password)));
        as("vera", password).get("/api/accounts").then().statusCode(403);
        // The list never shows a password or its hash.
        String list = given().get("/api/accounts").then().statusCode(200).body("$", hasSize(1))
                .body("[0].name", equalTo("vera")).body("[0].role", equalTo("viewer"))
                .body("[0].password", nullValue()).extract().asString();
        assertFalse(list.contains("$2"), list);

        // A chosen password is taken and not echoed.
        create(Map.of("name", "otto", "role", "OPERATOR", "password", "a-chosen-passphrase")).then().statusCode(201)
                .body("role", equalTo("operator")).body("password", nullValue());
        assertEquals(404, operatorCall(as("otto", "a-chosen-passphrase")));
    }

    @Test
    void badAccountsAreRefusedNamingTheFieldAndStoreNothing() {
        record Bad(Object body, int status, String field) {
        }
        create(Map.of("name", "taken", "role", "viewer")).then().statusCode(201);
        long before = accounts();
        for (Bad bad : List.of(
                new Bad(Map.of("role", "viewer"), 400, "name"),
                new Bad(Map.of("name", "has space", "role", "viewer"), 400, "name"),
                new Bad(Map.of("name", "x".repeat(65), "role", "viewer"), 400, "name"),
                new Bad(Map.of("name", "ann"), 400, "role"),
                new Bad(Map.of("name", "ann", "role", "admin"), 400, "role"),
                new Bad(Map.of("name", "ann", "role", "viewer", "password", "short"), 400, "password"),
                new Bad(Map.of("name", "ann", "role", "viewer", "password", "é".repeat(40)), 400, "password"),
                new Bad(Map.of("name", "ann", "role", "viewer", "password", "twelve-chars\u0000x"), 400, "password"),
                new Bad(Map.of("name", "ann", "role", "viewer", "admin", true), 400, "admin"),
                new Bad("null", 400, "body"),
                new Bad("[1]", 400, "body"))) {
            Response r = create(bad.body());
            r.then().statusCode(bad.status()).contentType(ContentType.JSON)
                    .body("violations.field", org.hamcrest.Matchers.hasItem(bad.field()));
            assertFalse(r.asString().contains("short"), "a refused password is not repeated: " + r.asString());
        }
        create(Map.of("name", "taken", "role", "operator")).then().statusCode(409)
                .body("error", containsString("exists"));
        given().auth().none().contentType(ContentType.JSON).body(Map.of("name", "ann", "role", "viewer"))
                .post("/api/accounts").then().statusCode(401);
        as(TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("name", "ann", "role", "viewer")).post("/api/accounts").then().statusCode(403);
        assertEquals(before, accounts());
        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).patch("/api/accounts/nobody").then()
                .statusCode(404);
        given().delete("/api/accounts/nobody").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of()).patch("/api/accounts/taken").then().statusCode(400)
                .body("violations[0].field", equalTo("body"));
        given().contentType(ContentType.JSON).body(Map.of("password", "long-enough-pass", "generatePassword", true))
                .patch("/api/accounts/taken").then().statusCode(400)
                .body("violations[0].field", equalTo("generatePassword"));
    }

    @Test
    void changesApplyToTheNextCallAndTheLastOperatorStays() {
        String first = create(Map.of("name", "ann", "role", "operator")).jsonPath().getString("password");
        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).patch("/api/accounts/ann").then()
                .statusCode(409).body("error", containsString("last operator"));
        given().delete("/api/accounts/ann").then().statusCode(409);
        assertEquals(404, operatorCall(as("ann", first)));

        // A new password: the old one is refused at once, though it passed a moment ago.
        String second = given().contentType(ContentType.JSON).body(Map.of("generatePassword", true))
                .patch("/api/accounts/ann").then().statusCode(200).extract().jsonPath().getString("password");
        assertNotEquals(first, second);
        as("ann", first).get("/api/searches").then().statusCode(401);
        assertEquals(404, operatorCall(as("ann", second)));

        create(Map.of("name", "bob", "role", "operator", "password", "bobs-passphrase")).then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).patch("/api/accounts/ann").then()
                .statusCode(200).body("role", equalTo("viewer")).body("password", nullValue());
        assertEquals(403, operatorCall(as("ann", second)), "the demotion applies to the next call");
        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).patch("/api/accounts/bob").then()
                .statusCode(409);
        as("bob", "bobs-passphrase").delete("/api/accounts/ann").then().statusCode(204);
        as("ann", second).get("/api/searches").then().statusCode(401);
        assertEquals(1, accounts());
    }

    @Test
    void anAccountChangesItsOwnPasswordKnowingTheCurrentOne() {
        create(Map.of("name", "vera", "role", "viewer", "password", "first-passphrase")).then().statusCode(201);
        RequestSpecification vera = as("vera", "first-passphrase").contentType(ContentType.JSON);
        vera.body(Map.of("current", "not-the-current", "password", "second-passphrase"))
                .put("/api/account/password").then().statusCode(400).body("violations[0].field", equalTo("current"));
        as("vera", "first-passphrase").contentType(ContentType.JSON).body(Map.of("current", "first-passphrase",
                "password", "short")).put("/api/account/password").then().statusCode(400)
                .body("violations[0].field", equalTo("password"));
        as("vera", "first-passphrase").contentType(ContentType.JSON).body(Map.of("current", "first-passphrase",
                "password", "second-passphrase")).put("/api/account/password").then().statusCode(204);
        as("vera", "first-passphrase").get("/api/searches").then().statusCode(401);
        as("vera", "second-passphrase").get("/api/searches").then().statusCode(200);
        // Users from the configuration keep their passwords there.
        given().contentType(ContentType.JSON).body(Map.of("current", TestUsers.OPERATOR_PASSWORD, "password",
                "another-passphrase")).put("/api/account/password").then().statusCode(409)
                .body("error", containsString("configured"));
    }

    @Test
    void theDashboardCookieOfAnAccountFollowsItsRoleAndEndsWithIt() {
        create(Map.of("name", "otto", "role", "operator", "password", "ottos-passphrase")).then().statusCode(201);
        create(Map.of("name", "keeper", "role", "operator", "password", "keepers-passphrase")).then()
                .statusCode(201);
        Response signedIn = given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("username", "otto").formParam("password", "ottos-passphrase").post("/j_security_check");
        signedIn.then().statusCode(302);
        String cookie = signedIn.getCookie("cellforge-credential");
        assertTrue(cookie != null && !cookie.isEmpty(), "signed in");
        RequestSpecification otto = given().auth().none().cookie("cellforge-credential", cookie);
        assertEquals(404, operatorCall(otto));
        given().auth().none().cookie("cellforge-credential", cookie).redirects().follow(false).get("/").then()
                .statusCode(200).body(not(containsString("j_security_check")));

        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).patch("/api/accounts/otto").then()
                .statusCode(200);
        assertEquals(403, operatorCall(given().auth().none().cookie("cellforge-credential", cookie)));
        given().delete("/api/accounts/otto").then().statusCode(204);
        given().auth().none().cookie("cellforge-credential", cookie).get("/api/searches").then().statusCode(401);
    }
}
