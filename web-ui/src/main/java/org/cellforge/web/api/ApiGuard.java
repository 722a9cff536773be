package org.cellforge.web.api;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses cross-site changes before any resource sees them. A browser sends a form or a
 * {@code text/plain} POST to any origin without asking first, with the user's cookies; such a request
 * once started a search, because a body without a content type was read as JSON. Changes therefore
 * need a JSON body (415 otherwise), and a browser's request that names another origin is refused
 * (403), bodyless actions such as {@code cancel} included. Clients that are not browsers (curl, the
 * tests, scripts) send no {@code Origin} and are not affected.
 */
public class ApiGuard {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") || !CHANGES.contains(request.getMethod())) {
            return Optional.empty();
        }
        String origin = request.getHeaderString("Origin");
        String host = request.getHeaderString(HttpHeaders.HOST);
        if ("cross-site".equalsIgnoreCase(request.getHeaderString("Sec-Fetch-Site"))
                || origin != null && !sameOrigin(origin, host, request.getHeaderString("X-Forwarded-Host"))) {
            return Optional.of(ErrorMapper.respond(403, "cross-site request refused: a change must come from "
                    + "this server's own pages or from a client that is not a browser", List.of()));
        }
        if (hasBody(request) && !isJson(request.getMediaType())) {
            return Optional.of(ErrorMapper.respond(415, "a request body must be JSON (Content-Type: "
                    + "application/json), got " + (request.getMediaType() == null ? "no Content-Type"
                    : request.getMediaType().toString()), List.of(new ApiError.Violation("Content-Type",
                    "must be application/json"))));
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(String origin, String host, String forwardedHost) {
        try {
            String authority = URI.create(origin.strip()).getRawAuthority();
            return authority != null && (authority.equalsIgnoreCase(host) || authority.equalsIgnoreCase(forwardedHost));
        } catch (IllegalArgumentException e) {
            // "null" (sandboxed pages, file URLs) and anything else that is not a URL
            return false;
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null
                || length != null && !length.strip().equals("0");
    }

    private static boolean isJson(MediaType type) {
        return type != null && type.getType().toLowerCase(Locale.ROOT).equals("application")
                && type.getSubtype().toLowerCase(Locale.ROOT).equals("json");
    }
}
