package org.cellforge.web.security;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.web.api.ApiError;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * How the API asks for credentials: 401 with {@code WWW-Authenticate: Basic} and the API's JSON error
 * body, where the dashboard's login form would otherwise answer a script with a redirect to a page.
 * It authenticates nobody itself (Basic, the login form's cookie and bearer tokens do); it only comes
 * first when a challenge is sent, and leaves every path outside {@code /api/} to the login form.
 */
@ApplicationScoped
public class ApiChallenge implements HttpAuthenticationMechanism {

    /** The {@code WWW-Authenticate} value of every challenge the API sends. */
    public static final String REALM = "Basic realm=\"Cellforge\", charset=\"UTF-8\"";

    /** The error text of every 401 the API sends. */
    public static final String MESSAGE = "authentication required: send a user's name and password (HTTP Basic) "
            + "or a bearer token";

    @Inject
    ObjectMapper json;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(api(context) ? new ChallengeData(401, "WWW-Authenticate", REALM) : null);
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!api(context)) {
            return Uni.createFrom().item(false);
        }
        String body;
        try {
            body = json.writeValueAsString(new ApiError(401, MESSAGE, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(401).putHeader("WWW-Authenticate", REALM)
                .putHeader("Content-Type", "application/json").end(body);
        return Uni.createFrom().item(true);
    }

    /** Ahead of the login form's redirect (2500), Basic's (2000) and the bearer mechanism's challenges. */
    @Override
    public int getPriority() {
        return 3000;
    }

    private static boolean api(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals("/api") || path.startsWith("/api/");
    }
}
