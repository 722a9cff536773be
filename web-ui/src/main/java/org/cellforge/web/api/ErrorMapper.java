package org.cellforge.web.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.SearchRequestJson;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns every error into an {@link ApiError} JSON body; no stack trace ever reaches a client. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    /** The message of a 400 whose violations name the fields; the account endpoints answer with it too. */
    private static final String INVALID = "invalid request";

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return respond(400, INVALID, e.violations().stream()
                .map(v -> new ApiError.Violation(v.field(), v.reason())).toList());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(404, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return respond(409, e.getMessage(), List.of());
    }

    /**
     * Credentials that did not check out. The server's security hands the failure here for every path:
     * the API answers with its challenge and error shape, a page (the login form's post among them)
     * goes back to the login page with the error shown.
     */
    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e,
            io.vertx.core.http.HttpServerRequest request) {
        // The mechanism that failed has already set its own challenge or redirect: this answer replaces it.
        request.response().headers().remove("WWW-Authenticate").remove("Location");
        String path = request.path();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return unauthorized(null);
        }
        return Response.status(302).location(java.net.URI.create("/" + org.eclipse.microprofile.config
                .ConfigProvider.getConfig().getValue("quarkus.http.auth.form.error-page", String.class))).build();
    }

    /** Anonymous where a role is needed: ask for credentials the way {@code ApiChallenge} does. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e) {
        return Response.fromResponse(respond(401, org.cellforge.web.security.ApiChallenge.MESSAGE, List.of()))
                .header("WWW-Authenticate", org.cellforge.web.security.ApiChallenge.REALM).build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return respond(403, "forbidden: reading needs the role viewer or operator, and changing anything "
                + "(starting, cancelling, pausing, resuming, retraining, deleting) the role operator", List.of());
    }

    // The JSON extension maps these specific types itself with a different body; mapping each
    // type here takes precedence over it and keeps one error shape.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return respond(400, INVALID, List.of(new ApiError.Violation(path(u),
                    "unknown field; known fields: " + u.getKnownPropertyIds().stream().map(Object::toString)
                            .sorted().collect(Collectors.joining(", ")))));
        }
        if (e instanceof InvalidFormatException f) {
            return respond(400, INVALID, List.of(new ApiError.Violation(path(f),
                    "expected " + typeName(f.getTargetType()) + ", got " + SearchRequestJson.kind(f.getValue()))));
        }
        if (e instanceof JsonMappingException j && !j.getPath().isEmpty()
                && j.getCause() instanceof InputCoercionException c) {
            // A number too large for its field: the reader wraps the parser's complaint with the field's path.
            return respond(400, INVALID, List.of(new ApiError.Violation(path(j),
                    c.getOriginalMessage())));
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return respond(400, INVALID, List.of(new ApiError.Violation(path(m),
                    "expected " + typeName(m.getTargetType()) + given(m))));
        }
        if (e instanceof MismatchedInputException) {
            // A value of the wrong kind where the body's object should be: an array, a string, a number.
            return respond(400, "the body must be a JSON object", List.of(new ApiError.Violation("body",
                    "must be a JSON object")));
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        // The parser's words, without the names of the classes it was reading into.
        String said = e.getOriginalMessage().replaceAll("`[\\w.$]+`", "the request");
        Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
        if (duplicate.matches()) {
            // Jackson would keep the last of the two, so {"trials": 5, "trials": 50000} ran 50,000 trials.
            return respond(400, "malformed JSON" + where + ": " + said,
                    List.of(new ApiError.Violation(duplicated(e, duplicate.group(1)), "given twice")));
        }
        return respond(400, "malformed JSON" + where + ": " + said,
                List.of(new ApiError.Violation("body", "must be a JSON object")));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The JSON reader reports body problems wrapped in a 400; unwrap them to name the field.
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) {
                return badJson(j);
            }
        }
        int status = e.getResponse().getStatus();
        return respond(status, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error answering a request", e);
        return respond(500, "internal error: " + e.getClass().getSimpleName() + "; see the server log", List.of());
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    /**
     * The duplicated field with the objects and arrays it is in ({@code options.population},
     * {@code trials[0].x}), written as every other violation's field; its name alone if the parser does
     * not tell.
     */
    private static String duplicated(JsonProcessingException e, String name) {
        if (!(e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser)
                || !name.equals(parser.getParsingContext().getCurrentName())) {
            return name;
        }
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (var c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "body" : p;
    }

    private static final Pattern REFUSED_COERCION = Pattern.compile(
            "Cannot coerce (?:[\\w-]+ value|empty String) \\((.*)\\) to .*", Pattern.DOTALL);

    /**
     * ", got ..." with the value a refused coercion ({@code "trials": "3"}) was given, named as recipe
     * files name it: the exception carries it only in its message, and the parser it names is closed by
     * then. Empty for other mismatches.
     */
    private static String given(MismatchedInputException e) {
        Matcher m = REFUSED_COERCION.matcher(e.getOriginalMessage());
        if (!m.matches()) {
            return "";
        }
        String value = m.group(1);
        return ", got " + (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? SearchRequestJson.kind(value.substring(1, value.length() - 1)) : value);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        return "a " + type.getSimpleName();
    }

    static Response respond(int status, String message, List<ApiError.Violation> violations) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, message, violations)).build();
    }
}
