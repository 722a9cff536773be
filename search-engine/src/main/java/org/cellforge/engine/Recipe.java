package org.cellforge.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cellforge.controller.option.Violation;

/**
 * The name, version and description of a search recipe: a request kept in a file and run by name
 * ({@code cellforge search --recipe FILE}, or the file as the body of {@code POST /api/searches}).
 * A search started from a recipe stores this object with its request, so its results say which
 * recipe, in which version, they came from.
 */
public final class Recipe {

    /** The fields a {@code recipe} object may have. */
    public static final List<String> FIELDS = List.of("name", "version", "description");

    /** Larger files are refused before they are read: a recipe is a page of settings. */
    public static final long MAX_BYTES = 1 << 20;

    private static final int MAX_NAME = 100;
    private static final int MAX_DESCRIPTION = 4_000;

    private Recipe() {
    }

    /** Adds the problems of a {@code recipe} object (null: none given) as {@code recipe.FIELD}. */
    static void validate(Map<String, Object> recipe, List<Violation> violations) {
        if (recipe == null || recipe.isEmpty()) {
            return;
        }
        for (String field : recipe.keySet()) {
            if (!Set.copyOf(FIELDS).contains(field)) {
                violations.add(new Violation("recipe." + field, "unknown field; accepted: " + FIELDS));
            }
        }
        Object name = recipe.get("name");
        if (!(name instanceof String s) || !s.matches("[a-z0-9][a-z0-9.-]*") || s.length() > MAX_NAME) {
            violations.add(new Violation("recipe.name", "a recipe needs a name of lower-case letters, digits, '-' "
                    + "and '.', starting with a letter or digit, at most " + MAX_NAME + " characters; got "
                    + describe(name)));
        }
        Object version = recipe.get("version");
        // Integer or Long only: 1.0 would be stored and shown as "1.0", and a BigInteger is out of range anyway.
        if (!(version instanceof Integer || version instanceof Long) || ((Number) version).longValue() < 1
                || ((Number) version).longValue() > Integer.MAX_VALUE) {
            violations.add(new Violation("recipe.version", "a recipe needs a version, a whole number from 1 to " + Integer.MAX_VALUE + "; got "
                    + describe(version)));
        }
        Object description = recipe.get("description");
        if (description != null && (!(description instanceof String d) || d.length() > MAX_DESCRIPTION)) {
            violations.add(new Violation("recipe.description", "must be text of at most " + MAX_DESCRIPTION
                    + " characters; got " + (description instanceof String ? "longer text" : describe(description))));
        }
    }

    /**
     * The request kept in recipe file {@code file}, which must name itself in a {@code recipe} object.
     *
     * @throws IllegalArgumentException saying what is wrong with the file (a missing or unreadable
     *     file, one too large or not UTF-8, or the field at fault and why), without its name
     */
    public static SearchRequest read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes; a recipe is a JSON object of "
                        + "settings");
            }
            // Strict decoding: a file in another encoding is reported, not read as replacement characters.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(FileReasons.of(e, file), e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + FileReasons.of(e, file), e);
        }
        SearchRequest request;
        try {
            request = SearchRequestJson.read(text);
        } catch (InvalidRequestException e) {
            Violation v = e.violations().get(0);
            throw new IllegalArgumentException(v.field() + ": " + v.reason(), e);
        }
        if (request.recipe() == null || request.recipe().isEmpty()) {
            throw new IllegalArgumentException("recipe: a recipe file names itself, e.g. \"recipe\": {\"name\": "
                    + "\"my-search\", \"version\": 1}");
        }
        return request;
    }

    /** How a recipe is named in messages and provenance: {@code name@version}. */
    public static String label(Map<String, Object> recipe) {
        return recipe == null || recipe.isEmpty() ? "" : recipe.get("name") + "@" + recipe.get("version");
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
