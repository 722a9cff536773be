package org.cellforge.web.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.runner.Exports;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.TrialInfo;
import org.cellforge.web.security.Roles;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Start searches, follow them, and export their results: viewers read and export, operators change. */
@Path("/api/searches")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    @Inject
    SearchService service;

    /** Starts a search in the background; 201 with its stored state and a Location header. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "stored, QUEUED; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchInfo.class)))
    public Response start(SearchRequest request) {
        if (request == null) {
            throw InvalidRequestException.of("body", "a JSON object with the search's settings is required");
        }
        SearchInfo created = service.submit(request);
        return Response.created(URI.create("/api/searches/" + created.id())).entity(created).build();
    }

    /** Searches, newest first, without trials; with {@code status}, only those in it. */
    @GET
    public List<SearchInfo> list(@QueryParam("status") String status,
            @QueryParam("offset") @DefaultValue("0") String offsetParam,
            @QueryParam("limit") @DefaultValue("100") String limitParam) {
        org.cellforge.engine.SearchStatus wanted = status == null || status.isBlank() ? null
                : named("status", status, org.cellforge.engine.SearchStatus.values());
        int[] page = page(offsetParam, limitParam);
        return service.list(wanted, page[0], page[1]);
    }

    /**
     * One page of a search's trials, without their epochs.
     *
     * @param total trials that match the filter
     * @param trials the page, in the order asked for
     */
    public record TrialPage(long total, int offset, int limit, List<TrialInfo> trials) {
    }

    /**
     * A page of a search's trials, narrowed to a status and sorted by number, stand-alone validation
     * accuracy, parameters or wall time (trials without the sorted value last); read a page at a time
     * from the database, so it costs the same for ten trials or a hundred thousand.
     */
    @GET
    @Path("/{id}/trials")
    public TrialPage trials(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("sort") @DefaultValue("number") String sort,
            @QueryParam("order") @DefaultValue("asc") String order,
            @QueryParam("offset") @DefaultValue("0") String offsetParam,
            @QueryParam("limit") @DefaultValue("100") String limitParam) {
        long search = searchId(id);
        TrialStatus wanted = status == null || status.isBlank() ? null : named("status", status, TrialStatus.values());
        SearchRepository.TrialOrder by = named("sort", sort, SearchRepository.TrialOrder.values());
        String direction = order.strip().toLowerCase(java.util.Locale.ROOT);
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw InvalidRequestException.of("order", "expected asc or desc, got '" + clip(order) + "'");
        }
        int[] page = page(offsetParam, limitParam);
        SearchService.TrialPage found = service.trialPage(search, wanted, by, direction.equals("desc"), page[0],
                page[1]);
        return new TrialPage(found.total(), page[0], page[1], found.trials());
    }

    /** One trial with its learning curve (every epoch's measurements). */
    @GET
    @Path("/{id}/trials/{number}")
    public TrialInfo trial(@PathParam("id") String id, @PathParam("number") String number) {
        return service.trial(searchId(id), trialNumber(number));
    }

    /** The value of {@code values} named {@code raw} in any case: 400 naming {@code field} and the choices otherwise. */
    private static <E extends Enum<E>> E named(String field, String raw, E[] values) {
        return java.util.Arrays.stream(values).filter(v -> v.name().equalsIgnoreCase(raw.strip())).findFirst()
                .orElseThrow(() -> InvalidRequestException.of(field, "expected one of " + java.util.Arrays.stream(values)
                        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList() + ", got '" + clip(raw) + "'"));
    }

    /** Offset and limit of a page: 400 naming either unless whole numbers, offset from 0, limit 1 to 1000. */
    private static int[] page(String offsetParam, String limitParam) {
        long offset = whole("offset", offsetParam);
        long limit = whole("limit", limitParam);
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw InvalidRequestException.of("offset", "must be between 0 and " + Integer.MAX_VALUE + ", got "
                    + offset);
        }
        if (limit < 1 || limit > 1000) {
            throw InvalidRequestException.of("limit", "must be between 1 and 1000, got " + limit);
        }
        return new int[] {(int) offset, (int) limit};
    }

    private static String clip(String raw) {
        return raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
    }

    /** A trial number from a path: 400 naming {@code number} unless it is a whole number from 1. */
    private static int trialNumber(String raw) {
        long trial = whole("number", raw);
        if (trial < 1 || trial > Integer.MAX_VALUE) {
            throw InvalidRequestException.of("number", "a trial number is a whole number from 1, got " + raw);
        }
        return (int) trial;
    }

    /** One search with its trials, final retrainings, Pareto front and warm start. */
    @GET
    @Path("/{id}")
    public SearchInfo get(@PathParam("id") String id) {
        return service.get(searchId(id));
    }

    /**
     * What {@code POST /api/searches/{id}/retrain} takes.
     *
     * @param trials numbers of the trials whose architectures are retrained (trained to the end)
     * @param epochs epochs of retraining on the search's retraining data; the search's {@code retrainEpochs} when absent
     */
    public record RetrainRequest(List<Integer> trials, Integer epochs) {
    }

    /**
     * Retrains chosen trials of an ended search on its retraining data and tests each once (for example
     * the members of a Pareto front); 202 with the search, whose retrains appear as they finish.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/retrain")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "checked; the retrainings run in the background",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchInfo.class)))
    public Response retrain(@PathParam("id") String id, RetrainRequest body) {
        if (body == null) {
            throw InvalidRequestException.of("body", "a JSON object with \"trials\" is required");
        }
        long search = searchId(id);
        int epochs = body.epochs() != null ? body.epochs()
                : Math.max(1, service.get(search).request().retrainEpochs());
        return Response.accepted(service.retrain(search, body.trials(), epochs)).build();
    }

    /**
     * Cancels a search that has not ended, whichever server process coordinates it: it ends INTERRUPTED,
     * its running trials FAILED; it can be resumed. 202 with the search; 409 with the reason if it ended.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/cancel")
    @APIResponse(responseCode = "202", description = "the search as it stands, ending INTERRUPTED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchInfo.class)))
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(service.cancel(searchId(id))).build();
    }

    /**
     * Pauses a QUEUED or RUNNING search: it proposes no new trials; those already with workers finish.
     * 202 with the search, PAUSED; 409 with the reason in any other state.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/pause")
    @APIResponse(responseCode = "202", description = "the search, PAUSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchInfo.class)))
    public Response pause(@PathParam("id") String id) {
        return Response.accepted(service.pause(searchId(id))).build();
    }

    /**
     * Resumes a PAUSED search, or continues an INTERRUPTED one (cancelled, or stopped with its process):
     * a weight-sharing or darts search from its newest supernet checkpoint, any other from its
     * controller's stored state, training again the trials the stop cut short. 202 with the search as
     * it stands; 409 with the reason in any other state.
     */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/resume")
    @APIResponse(responseCode = "202", description = "the search as it stands, going on",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchInfo.class)))
    public Response resume(@PathParam("id") String id) {
        return Response.accepted(service.resume(searchId(id))).build();
    }

    /**
     * Deletes an ended search with its trials, epochs, checkpoints, retrainings and supernet records, in
     * one transaction: 204; 409 with the reason while it runs, is paused or queued, or is being retrained.
     */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @APIResponse(responseCode = "204", description = "deleted with everything stored for it")
    public Response delete(@PathParam("id") String id) {
        service.delete(searchId(id));
        return Response.noContent().build();
    }

    /**
     * Removes the stored trained networks of an ended search's trials except those of its {@code keep}
     * best by stand-alone validation accuracy ({@code cellforge.checkpoints.keep-best} when absent) and,
     * unless it is 0, those of the trials on the search's Pareto fronts:
     * 200 with how many were removed and the bytes freed; 409 while it is not ended. The removed trials'
     * JSON exports stay; their ONNX and PyTorch exports answer 409. Each trial's
     * {@code checkpointBytes} says what is kept.
     */
    @DELETE
    @Path("/{id}/checkpoints")
    @RolesAllowed(Roles.OPERATOR)
    public SearchService.Pruned pruneCheckpoints(@PathParam("id") String id, @QueryParam("keep") String keepParam) {
        long search = searchId(id);
        long keep = keepParam == null ? service.keepBest() : whole("keep", keepParam);
        if (keep < 0 || keep > Integer.MAX_VALUE) {
            throw InvalidRequestException.of("keep", "must be a whole number from 0, got " + keep);
        }
        return service.pruneCheckpoints(search, (int) keep);
    }

    /**
     * The best trial's architecture (trained to the end, highest validation accuracy): {@code json}
     * (the architecture document with accuracies of each kind and provenance), {@code onnx} (the
     * trained network) or {@code pytorch} (a zip of a module and its weights). The weights are those
     * of the final retraining when there was one.
     */
    @GET
    @Path("/{id}/best/export")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, "application/zip"})
    public Response exportBest(@PathParam("id") String id, @QueryParam("format") @DefaultValue("json") String format) {
        Exports.Format f = Exports.Format.named(format);
        long search = searchId(id);
        return file(service.exports().trial(search, service.exports().bestTrial(search), f));
    }

    /** Any trial's architecture, in the formats of {@link #exportBest}. */
    @GET
    @Path("/{id}/trials/{number}/export")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, "application/zip"})
    public Response exportTrial(@PathParam("id") String id, @PathParam("number") String number,
            @QueryParam("format") @DefaultValue("json") String format) {
        return file(service.exports().trial(searchId(id), trialNumber(number), Exports.Format.named(format)));
    }

    /** A search id from a path: 400 naming {@code id} unless it is a positive whole number. */
    private static long searchId(String raw) {
        long id = whole("id", raw);
        if (id < 1) {
            throw InvalidRequestException.of("id", "a search id is a whole number from 1, got " + raw);
        }
        return id;
    }

    /** A whole number from a path or query parameter: 400 naming {@code name} otherwise (JAX-RS says 404). */
    private static long whole(String name, String raw) {
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of(name, "expected a whole number, got '" + clip(raw) + "'");
        }
    }

    private static Response file(Exports.File file) {
        return Response.ok(file.bytes(), file.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"").build();
    }
}
