package org.cellforge.engine;

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

    /** How a recipe is named in messages and provenance: {@code name@version}. */
    static String label(Map<String, Object> recipe) {
        return recipe == null || recipe.isEmpty() ? "" : recipe.get("name") + "@" + recipe.get("version");
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
