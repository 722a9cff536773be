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

import org.cellforge.evaluator.export.PyTorchExport;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.cellforge.web.search.GenotypeExport;
import org.cellforge.web.search.InvalidRequestException;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchRequest;
import org.cellforge.web.search.SearchService;

/** Start searches, follow them, and export their best architecture. */
@Path("/api/searches")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    /** Export formats this version writes. */
    static final List<String> FORMATS = List.of("json", "onnx", "pytorch");

    @Inject
    SearchService service;

    /** Starts a search in the background; 201 with its id and a Location header. */
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
            throw new InvalidRequestException(List.of(new SearchRequest.Violation(offset < 0 ? "offset" : "limit",
                    offset < 0 ? "must be >= 0, got " + offset : "must be between 1 and 1000, got " + limit)));
        }
        return service.list(offset, limit);
    }

    /** One search with status and trials. */
    @GET
    @Path("/{id}")
    public SearchInfo get(@PathParam("id") long id) {
        return service.get(id);
    }

    /**
     * The best architecture found so far: its JSON genotype with provenance, ({@code format=onnx})
     * its trained network as an ONNX model with the weights, or ({@code format=pytorch}) a PyTorch
     * module file that builds the same network.
     */
    @GET
    @Path("/{id}/best/export")
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, "text/x-python"})
    public Response export(@PathParam("id") long id, @QueryParam("format") @DefaultValue("json") String format) {
        if (!FORMATS.contains(format)) {
            throw new InvalidRequestException(List.of(new SearchRequest.Violation("format",
                    "unsupported export format '" + format + "'; supported: " + FORMATS)));
        }
        if (format.equals("onnx")) {
            return Response.ok(service.bestOnnx(id), MediaType.APPLICATION_OCTET_STREAM)
                    .header("Content-Disposition", "attachment; filename=\"search-" + id + "-best.onnx\"").build();
        }
        GenotypeExport best = service.exportBest(id);
        if (format.equals("json")) {
            return Response.ok(best, MediaType.APPLICATION_JSON).build();
        }
        String source = PyTorchExport.nb201(OpRegistry.builtIn(), Nb201Space.standard().parse(best.arch()),
                best.macro());
        return Response.ok(source, "text/x-python")
                .header("Content-Disposition", "attachment; filename=\"search-" + id + "-best.py\"").build();
    }
}
