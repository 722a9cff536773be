package org.cellforge.runner.cli;

import java.nio.file.Path;

import org.cellforge.engine.Recipe;
import org.cellforge.engine.SearchRequest;

/** Recipe files given to {@code --recipe}: search requests kept as JSON under a name and a version. */
final class Recipes {

    private Recipes() {
    }

    /**
     * The request in recipe file {@code file}.
     *
     * @throws UsageException naming the file and the field at fault
     */
    static SearchRequest read(Path file) {
        try {
            return Recipe.read(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException("search", "--recipe " + file + ": " + e.getMessage());
        }
    }
}
