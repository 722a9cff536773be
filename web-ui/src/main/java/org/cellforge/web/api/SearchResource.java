package org.cellforge.web.api;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cellforge.controller.option.Violation;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.runner.Exports;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;

/** Start searches, follow them, and export their results. */
@Path("/api/searches")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    @Inject
    SearchService service;

    /** Starts a search in the background; 201 with its stored state and a Location header. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(SearchRequest request) {
        SearchInfo created = service.submit(request);
        return Response.created(URI.create("/api/searches/" + created.id())).entity(created).build();
    }

    /** Searches, newest first, without trials. */
    @GET
    public List<SearchInfo> list(@QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new InvalidRequestException(List.of(new Violation(offset < 0 ? "offset" : "limit",
                    offset < 0 ? "must be >= 0, got " + offset : "must be between 1 and 1000, got " + limit)));
        }
        return service.list(offset, limit);
    }

    /** One search with its trials, final retrainings, Pareto front and warm start. */
    @GET
    @Path("/{id}")
    public SearchInfo get(@PathParam("id") long id) {
        return service.get(id);
    }

    /**
     * What {@code POST /api/searches/{id}/retrain} takes.
     *
     * @param trials numbers of the trials whose architectures are retrained (trained to the end)
     * @param epochs epochs of retraining on train+validation; the search's {@code retrainEpochs} when absent
     */
    public record RetrainRequest(List<Integer> trials, Integer epochs) {
    }

    /**
     * Retrains chosen trials of an ended search on train+validation and tests each once (for example
     * the members of a Pareto front); 202 with the search, whose retrains appear as they finish.
     */
    @POST
    @Path("/{id}/retrain")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response retrain(@PathParam("id") long id, RetrainRequest body) {
        if (body == null) {
            throw InvalidRequestException.of("body", "a JSON object with \"trials\" is required");
        }
        int epochs = body.epochs() != null ? body.epochs() : Math.max(1, service.get(id).request().retrainEpochs());
        return Response.accepted(service.retrain(id, body.trials(), epochs)).build();
    }

    /**
     * Cancels a search that has not ended, whichever server process coordinates it: it ends INTERRUPTED,
     * its running trials FAILED; it can be resumed. 202 with the search; 409 with the reason if it ended.
     */
    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return Response.accepted(service.cancel(id)).build();
    }

    /**
     * Pauses a QUEUED or RUNNING search: it proposes no new trials; those already with workers finish.
     * 202 with the search, PAUSED; 409 with the reason in any other state.
     */
    @POST
    @Path("/{id}/pause")
    public Response pause(@PathParam("id") long id) {
        return Response.accepted(service.pause(id)).build();
    }

    /**
     * Resumes a PAUSED search, or continues an INTERRUPTED one (cancelled, or stopped with its process):
     * a weight-sharing or darts search from its newest supernet checkpoint, any other from its
     * controller's stored state, training again the trials the stop cut short. 202 with the search as
     * it stands; 409 with the reason in any other state.
     */
    @POST
    @Path("/{id}/resume")
    public Response resume(@PathParam("id") long id) {
        return Response.accepted(service.resume(id)).build();
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
    public Response exportBest(@PathParam("id") long id, @QueryParam("format") @DefaultValue("json") String format) {
        Exports.Format f = Exports.Format.named(format);
        return file(service.exports().trial(id, service.exports().bestTrial(id), f));
    }

    /** Any trial's architecture, in the formats of {@link #exportBest}. */
    @GET
    @Path("/{id}/trials/{number}/export")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, "application/zip"})
    public Response exportTrial(@PathParam("id") long id, @PathParam("number") int number,
            @QueryParam("format") @DefaultValue("json") String format) {
        return file(service.exports().trial(id, number, Exports.Format.named(format)));
    }

    private static Response file(Exports.File file) {
        return Response.ok(file.bytes(), file.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"").build();
    }
}
