package org.cellforge.web.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Writes the API's refusals into its OpenAPI document, each with the one error body
 * ({@link ApiError}), by the rules the server follows: every call may be 400, 401 or 403 (a user
 * without the role; for a change also a browser's request from another origin); a path with a search id may be 404; a
 * body may be too large (413) or not JSON (415); lifecycle changes and exports may be 409. Success
 * codes are on the resources themselves.
 */
public class OpenApiErrors implements OASFilter {

    private static final String SCHEMA = "ApiError";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSchema(SCHEMA, errorSchema());
        if (api.getPaths() == null) {
            return;
        }
        api.getComponents().addSecurityScheme("basic", OASFactory.createSecurityScheme()
                .type(org.eclipse.microprofile.openapi.models.security.SecurityScheme.Type.HTTP).scheme("basic"));
        for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                document(path.getKey(), op.getKey(), op.getValue());
            }
        }
    }

    private static void document(String path, PathItem.HttpMethod method, Operation op) {
        op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("basic"));
        error(op, "400", "a parameter or body field is invalid; the violations name each one");
        error(op, "401", "no credentials, or credentials that do not check out (HTTP Basic or a bearer token)");
        error(op, "403", method == PathItem.HttpMethod.GET ? "the user has neither the role viewer nor operator"
                : "the user is not an operator, or a browser sent the change from another origin");
        if (path.contains("{id}")) {
            error(op, "404", "there is no such search" + (path.contains("{number}") ? " or trial" : ""));
        }
        if (op.getRequestBody() != null) {
            error(op, "413", "the body is larger than 1 MiB");
            error(op, "415", "the body is not JSON (Content-Type: application/json)");
        }
        boolean lifecycle = path.matches(".*/(cancel|pause|resume|retrain)$") || method == PathItem.HttpMethod.DELETE;
        if (lifecycle) {
            error(op, "409", "the search's state does not allow it, or another process works on it; the error says "
                    + "which");
        }
        if (path.endsWith("/export")) {
            error(op, "409", "no trained network is stored for the trial (failed, or its checkpoint was removed)");
        }
    }

    /** Sets the answer {@code code} with the error body, over any the generator guessed (it gives none a body). */
    private static void error(Operation op, String code, String description) {
        op.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(SCHEMA)))));
    }

    private static Schema errorSchema() {
        Schema violation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the parameter, header or body field at fault, e.g. options.population"))
                .addProperty("reason", OASFactory.createSchema().addType(Schema.SchemaType.STRING));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("every error response's body")
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(violation));
    }
}
