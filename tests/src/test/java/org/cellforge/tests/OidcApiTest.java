package org.cellforge.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Users from an OpenID Connect provider, set up by configuration alone (the provider's address and a
 * client id): its bearer tokens are checked against the provider's published key, and the groups
 * claim gives the role. Users from the server's own configuration still sign in beside them.
 */
@QuarkusTest
@TestProfile(OidcApiTest.WithProvider.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
class OidcApiTest {

    /** The server of {@link FakeOidcProvider}'s configuration; a profile of its own, so a server of its own. */
    public static class WithProvider implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeOidcProvider.class));
        }
    }

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    /** A token the provider signs; {@code query} chooses its groups, lifetime and key. */
    private String token(String query) {
        return given().auth().none().baseUri(issuer.substring(0, issuer.indexOf("/realms")))
                .port(java.net.URI.create(issuer).getPort()).get("/realms/cellforge/token?" + query).then()
                .statusCode(200).extract().asString();
    }

    @Test
    void theGroupsClaimGivesTheRole() {
        String operator = token("sub=ada&groups=operator");
        given().auth().oauth2(operator).get("/api/searches").then().statusCode(200);
        // Past the role check, the unknown search is what is wrong.
        given().auth().oauth2(operator).post("/api/searches/999999/cancel").then().statusCode(404);

        String viewer = token("sub=bob&groups=viewer");
        given().auth().oauth2(viewer).get("/api/searches").then().statusCode(200);
        given().auth().oauth2(viewer).post("/api/searches/999999/cancel").then().statusCode(403)
                .body("status", equalTo(403));

        String nobody = token("sub=eve&groups=");
        given().auth().oauth2(nobody).get("/api/searches").then().statusCode(403);
    }

    @Test
    void aTokenTheProviderDidNotSignOrThatExpiredIs401() {
        given().auth().oauth2(token("groups=operator&key=other")).get("/api/searches").then().statusCode(401);
        given().auth().oauth2(token("groups=operator&expiresIn=-600")).get("/api/searches").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/searches").then().statusCode(401);
    }

    @Test
    void configuredUsersStillSignInBesideTheProvider() {
        given().auth().preemptive().basic(TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD).get("/api/searches").then()
                .statusCode(200);
    }
}
