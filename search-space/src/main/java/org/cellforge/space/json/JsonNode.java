package org.cellforge.space.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JSON value together with its path from the document root, so that a value of the wrong
 * shape is reported as, for example, {@code $.normal[3].input: must be an integer, got "two"}.
 */
public final class JsonNode {

    private final Object value;
    private final String path;

    private JsonNode(Object value, String path) {
        this.value = value;
        this.path = path;
    }

    /** Wraps a value returned by {@link Json#parse(String)} as the document root {@code $}. */
    public static JsonNode root(Object value) {
        return new JsonNode(value, "$");
    }

    /** The path of this value, such as {@code $.ops[2].name}. */
    public String path() {
        return path;
    }

    /** The raw value. */
    public Object value() {
        return value;
    }

    /** A problem with this value. */
    public JsonFormatException error(String reason) {
        return new JsonFormatException(path, reason);
    }

    private Map<?, ?> object() {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw error("must be an object, got " + describe(value));
    }

    /** Whether this is an object that has the field. */
    public boolean has(String field) {
        return value instanceof Map<?, ?> map && map.containsKey(field);
    }

    /** A required field of this object. */
    public JsonNode get(String field) {
        Map<?, ?> map = object();
        if (!map.containsKey(field)) {
            throw error("missing field \"" + field + "\"");
        }
        return new JsonNode(map.get(field), path + "." + field);
    }

    /**
     * Refuses fields outside {@code allowed}, because a misspelt optional field would otherwise be
     * silently ignored.
     */
    public JsonNode only(Set<String> allowed) {
        for (Object key : object().keySet()) {
            if (!allowed.contains(key)) {
                throw new JsonFormatException(path + "." + key, "unknown field; expected one of " + allowed);
            }
        }
        return this;
    }

    /** The elements of this array. */
    public List<JsonNode> elements() {
        if (!(value instanceof List<?> list)) {
            throw error("must be an array, got " + describe(value));
        }
        List<JsonNode> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(new JsonNode(list.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** This value as a string. */
    public String string() {
        if (value instanceof String s) {
            return s;
        }
        throw error("must be a string, got " + describe(value));
    }

    /**
     * This value as an int. A number written with a fraction or exponent counts when it is whole
     * ({@code 16.0}, {@code 1e3}), as JSON itself does not tell the two apart.
     */
    public int integer() {
        if (!(value instanceof Number n)) {
            throw error("must be an integer, got " + describe(value));
        }
        BigDecimal exact = exact(n);
        if (exact == null || (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0)) {
            throw error("must be an integer, got " + n);
        }
        try {
            return exact.intValueExact();
        } catch (ArithmeticException e) {
            throw error("must be an integer in the int range, got " + n);
        }
    }

    /** The exact value of a number, or null for the non-finite ones. */
    private static BigDecimal exact(Number n) {
        return switch (n) {
            case BigDecimal d -> d;
            case BigInteger b -> new BigDecimal(b);
            case Double d when Double.isFinite(d) -> new BigDecimal(d);
            case Float f when Float.isFinite(f) -> new BigDecimal(f);
            case Double _, Float _ -> null;
            default -> BigDecimal.valueOf(n.longValue());
        };
    }

    /** This value as an int no less than {@code min}. */
    public int integer(int min) {
        int i = integer();
        if (i < min) {
            throw error("must be at least " + min + ", got " + i);
        }
        return i;
    }

    /** This array as a list of strings. */
    public List<String> strings() {
        return elements().stream().map(JsonNode::string).toList();
    }

    /** This array as a list of ints. */
    public List<Integer> integers() {
        return elements().stream().map(JsonNode::integer).toList();
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        return String.valueOf(v);
    }

    /**
     * Checks the {@code format} (optional, but must match when given) and {@code version} fields that
     * every Cellforge JSON document carries.
     *
     * @return the version the document was written with
     */
    public int header(String format, int supported) {
        if (has("format") && !get("format").string().equals(format)) {
            throw get("format").error("expected \"" + format + "\"");
        }
        int version = get("version").integer();
        if (version > supported) {
            throw get("version").error("written by a newer Cellforge (version " + version
                    + "); this one reads up to version " + supported);
        }
        if (version < 1) {
            throw get("version").error("must be 1 or more, got " + version);
        }
        return version;
    }
}
