package org.cellforge.web.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Option;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.WeightSharing;
import org.cellforge.engine.Spaces;
import org.cellforge.engine.stopping.EarlyStopping;
import org.cellforge.web.search.RecipeShelf;
import org.cellforge.web.security.Roles;

/**
 * What a search can be made of: spaces, controllers with their options, early-stopping rules, and
 * the server's recipes, each with the request it keeps (post it as it is, or change it first).
 */
@Path("/api/catalog")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    RecipeShelf recipes;

    /** A strategy and its options. */
    public record ControllerInfo(String name, String description, List<Option> options, boolean oneShot) {
    }

    /** An early-stopping rule and its options. */
    public record RuleInfo(String name, List<Option> options) {
    }

    /** A recipe file of the server's ({@code cellforge.recipes.dir}), named {@code name@version}. */
    public record RecipeInfo(String label, String description, SearchRequest request) {
    }

    /** Everything a search request can choose from. */
    public record Catalog(List<String> spaces, List<ControllerInfo> controllers, List<RuleInfo> earlyStopping,
            List<String> augmentations, List<String> optimizers, List<String> retrain, List<String> modes,
            List<Option> supernet, List<Option> retraining, List<RecipeInfo> recipes) {
    }

    @GET
    public Catalog catalog() {
        List<ControllerInfo> controllers = Controllers.all().stream()
                .map((ControllerKind k) -> new ControllerInfo(k.name(), k.description(), k.options(),
                        k.oneShot())).toList();
        List<RuleInfo> rules = EarlyStopping.RULES.stream().map(r -> new RuleInfo(r,
                EarlyStopping.declared(r).subList(1, EarlyStopping.declared(r).size()))).toList();
        return new Catalog(Spaces.names(), controllers, rules, SearchRequest.AUGMENTATIONS, SearchRequest.OPTIMIZERS,
                SearchRequest.RETRAIN, WeightSharing.MODES, WeightSharing.OPTIONS, Retraining.OPTIONS,
                recipes.recipes().stream().map(r -> new RecipeInfo(r.label(), r.description(), r.request())).toList());
    }
}
