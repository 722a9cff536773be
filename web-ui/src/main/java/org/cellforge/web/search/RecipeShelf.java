package org.cellforge.web.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.cellforge.engine.Recipe;
import org.cellforge.engine.SearchRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The recipe files the dashboard offers to start a search from: the {@code .json} files of
 * {@code cellforge.recipes.dir}, read when asked, so a file added or edited there is offered
 * without a restart. A file that is not a valid recipe is left out and logged with its reason.
 */
@ApplicationScoped
public class RecipeShelf {

    private static final Logger LOG = Logger.getLogger(RecipeShelf.class);

    @ConfigProperty(name = "cellforge.recipes.dir", defaultValue = "recipes")
    String directory;

    /** A recipe on the shelf: its {@code name@version}, description, and the request it keeps. */
    public record Entry(String label, String description, SearchRequest request) {
    }

    /** The valid recipes, by label; none if the directory does not exist. */
    public List<Entry> recipes() {
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, Entry> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    SearchRequest request = Recipe.read(f);
                    Object description = request.recipe().get("description");
                    Entry entry = new Entry(request.recipeLabel(), description == null ? "" : description.toString(),
                            request);
                    // Files are read in name order; a second file naming the same recipe and version is not offered.
                    if (found.putIfAbsent(entry.label(), entry) != null) {
                        LOG.warnf("recipe file %s left out: another file is %s too", f, entry.label());
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warnf("recipe file %s left out: %s", f, e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("recipes directory %s cannot be listed: %s", dir, e.toString());
        }
        List<Entry> sorted = new ArrayList<>(found.values());
        sorted.sort(Comparator.comparing(Entry::label));
        return sorted;
    }
}
