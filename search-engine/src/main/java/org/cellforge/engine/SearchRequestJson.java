package org.cellforge.engine;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Violation;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;

/**
 * A {@link SearchRequest} as JSON text: the body {@code POST /api/searches} takes and the format of
 * recipe files. Reading reports every field at fault by name (unknown fields, wrong types), so a recipe
 * file gets the same messages as a REST body; values are range-checked afterwards by
 * {@link SearchRequest#validate()}.
 */
public final class SearchRequestJson {

    /** The fields of a request, in the order they are written. */
    public static final List<String> FIELDS = Arrays.stream(SearchRequest.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    private SearchRequestJson() {
    }

    /**
     * Reads a request from JSON text.
     *
     * @throws InvalidRequestException naming every field at fault, or the line and column of a syntax error
     */
    public static SearchRequest read(String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonFormatException e) {
            throw InvalidRequestException.of("body", "not valid JSON at " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw InvalidRequestException.of("body", "expected a JSON object of search settings, got "
                    + kind(parsed));
        }
        List<Violation> v = new ArrayList<>();
        Object[] values = new Object[FIELDS.size()];
        RecordComponent[] components = SearchRequest.class.getRecordComponents();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String field = (String) e.getKey();
            int i = FIELDS.indexOf(field);
            if (i < 0) {
                v.add(new Violation(field, "unknown field; accepted: " + FIELDS));
                continue;
            }
            try {
                values[i] = convert(components[i].getType(), e.getValue());
            } catch (IllegalArgumentException x) {
                v.add(new Violation(field, x.getMessage()));
            }
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        return SearchRequest.ofComponents(values);
    }

    /** Writes the fields of {@code request} that are set, in {@link #FIELDS} order. */
    public static String write(SearchRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : SearchRequest.class.getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(request);
                if (value != null) {
                    out.put(c.getName(), value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return Json.write(out) + "\n";
    }

    private static Object convert(Class<?> type, Object raw) {
        if (raw == null) {
            return null;
        }
        if (type == String.class) {
            if (raw instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException("expected text, got " + kind(raw));
        }
        if (type == Map.class) {
            if (raw instanceof Map<?, ?> m) {
                Map<String, Object> copy = new LinkedHashMap<>();
                m.forEach((k, val) -> copy.put((String) k, val));
                return copy;
            }
            throw new IllegalArgumentException("expected an object, got " + kind(raw));
        }
        if (type == Double.class) {
            if (raw instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException("expected a number, got " + kind(raw));
        }
        long whole = whole(raw);
        if (type == Long.class) {
            return whole;
        }
        if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                    + ", got " + whole);
        }
        return (int) whole;
    }

    private static long whole(Object raw) {
        try {
            BigDecimal exact = switch (raw) {
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                case BigInteger b -> new BigDecimal(b);
                // As REST reads bodies: 3.0 is a real number, not the whole number 3.
                default -> throw new IllegalArgumentException("expected a whole number, got " + kind(raw));
            };
            return exact.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("expected a whole number within 64 bits, got " + raw);
        }
    }

    /**
     * A refused value as an error names it: text quoted and cut at 40 characters ({@code text '3'}, so
     * that a quoted number does not read as the number), an object, an array, or the value itself.
     */
    public static String kind(Object raw) {
        return switch (raw) {
            case null -> "null";
            case String s -> "text '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case Boolean b -> b.toString();
            default -> String.valueOf(raw);
        };
    }
}
