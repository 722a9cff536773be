package org.cellforge.runner.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.cellforge.controller.option.Violation;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchRequestJson;

/** Recipe files: search requests kept as JSON under a name and a version. */
final class Recipes {

    /** Larger files are refused before they are read: a recipe is a page of settings. */
    static final long MAX_BYTES = 1 << 20;

    private Recipes() {
    }

    /**
     * The request in recipe file {@code file}.
     *
     * @throws UsageException naming the file and the field at fault
     */
    static SearchRequest read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw problem(file, "larger than " + MAX_BYTES + " bytes; a recipe is a JSON object of settings");
            }
            // Strict decoding: a file in another encoding is reported, not read as replacement characters.
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw problem(file, "no such file");
        } catch (CharacterCodingException e) {
            throw problem(file, "not UTF-8 text");
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        SearchRequest request;
        try {
            request = SearchRequestJson.read(text);
        } catch (InvalidRequestException e) {
            Violation v = e.violations().get(0);
            throw problem(file, v.field() + ": " + v.reason());
        }
        if (request.recipe() == null || request.recipe().isEmpty()) {
            throw problem(file, "recipe: a recipe file names itself, e.g. \"recipe\": {\"name\": \"my-search\", "
                    + "\"version\": 1}");
        }
        return request;
    }

    private static UsageException problem(Path file, String reason) {
        return new UsageException("search", "--recipe " + file + ": " + reason);
    }
}
