package org.cellforge.tests;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * The users the test profile configures (application.properties, {@code %test}), and the default
 * credentials of every REST call the tests make: the operator's, sent with the first request, since
 * the API now refuses anonymous calls. Tests about access ask for others explicitly
 * ({@code given().auth().none()}, or the viewer's).
 */
public final class TestUsers implements QuarkusTestBeforeEachCallback {

    static final String OPERATOR = "test-operator";
    static final String OPERATOR_PASSWORD = "operator-secret";
    static final String VIEWER = "test-viewer";
    static final String VIEWER_PASSWORD = "viewer-secret";

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.preemptive().basic(OPERATOR, OPERATOR_PASSWORD);
    }

    /** {@code Authorization} header value of the operator, for clients other than RestAssured. */
    static String operatorHeader() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((OPERATOR + ":" + OPERATOR_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
