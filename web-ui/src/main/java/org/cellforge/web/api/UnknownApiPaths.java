package org.cellforge.web.api;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Answers a JSON 404 for {@code /api/...} requests that no REST resource took. Without it such a
 * request fell through to the dashboard, which answered 200 with its HTML page: a client with a
 * mistyped path got a page instead of an error. With the servlet container present (the dashboard),
 * the REST layer's route runs before the default route (order 10,000) and passes on what it cannot
 * match, so this route sits between the two.
 */
@Singleton
public class UnknownApiPaths {

    /** After the REST layer's route, before the servlet container's default one. */
    static final int ORDER = 9_000;

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(ctx -> ctx.response().setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(new ApiError(404, "no API at " + ctx.request().method() + " " + ctx.normalizedPath()
                        + "; the API is /api/searches and /api/catalog (see /q/openapi)", List.of()))));
    }
}
