package org.cellforge.space.json;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;

/**
 * Reads JSON (RFC 8259) into plain Java values and writes them back, through jackson-jr. Objects
 * become unmodifiable insertion-ordered {@code Map<String, Object>}, arrays unmodifiable
 * {@code List<Object>}, strings {@link String}, {@code true}/{@code false} {@link Boolean} and
 * {@code null} Java {@code null}. Numbers without a fraction or exponent become {@link Integer},
 * {@link Long} or {@link BigInteger}, whichever holds them, so whole numbers of 64 bits and more stay
 * exact; other numbers become {@link Double}, and a double written here reads back bit for bit.
 *
 * <p>Reading is strict: no comments, trailing commas, leading zeros, single quotes, {@code NaN}, text
 * after the value or duplicate field names, and nesting is limited to {@value #MAX_DEPTH} levels.
 */
public final class Json {

    /** Nesting limit for reading and writing; deeper input is refused rather than risking a stack overflow. */
    public static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    // Lazily built maps only pay off when kept; these are copied read-only straight away.
    private static final JSON READER = JSON.builder(FACTORY).disable(JSON.Feature.USE_DEFERRED_MAPS).build();

    // Fields on their own lines, two spaces per level; arrays stay on the line of their field, so
    // number lists and cells of edges read at a glance. Line ends are fixed, not the platform's, so
    // the same value gives the same bytes everywhere.
    private static final DefaultPrettyPrinter LAYOUT = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());

    private static final JSON WRITER = JSON.builder(FACTORY)
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.FAIL_ON_UNKNOWN_TYPE_WRITE)
            .prettyPrinter(LAYOUT)
            .build();

    // Jackson reports positions inside its messages as "[Source: ...; line: 2, column: 5]".
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");
    // Jackson's hints name its own settings ("enable `JsonReadFeature...` to allow"), which mean
    // nothing to whoever wrote the document and are not theirs to change.
    private static final Pattern SETTING = Pattern.compile(", from `[^`]*`|: enable `[^`]*` to allow"
            + "| \\(not recognized as one since Feature '[^']*' not enabled for parser\\)");

    private Json() {
    }

    /**
     * Parses one JSON value that makes up the whole text.
     *
     * @throws JsonFormatException naming line and column of the first error
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new JsonFormatException("line 1, column 1", "no JSON text given");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            try {
                if (parser.nextToken() == null) {
                    throw at(parser.currentLocation(), "unexpected end of input; expected a value");
                }
                Object value = READER.anyFrom(parser);
                JsonToken after = parser.nextToken();
                if (after != null) {
                    throw at(parser.currentTokenLocation(), "unexpected text after the JSON value");
                }
                return settle(value, "$");
            } catch (JsonProcessingException e) {
                // Limits (nesting, number length) are reported without a position; the parser knows it.
                JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                throw at(where, reason(e));
            }
        } catch (IOException e) {
            // Only a failure of the parser itself can land here: a String source has no I/O.
            throw new IllegalStateException("reading JSON from a string failed", e);
        }
    }

    /** Parses and wraps the result for typed reading with field paths in errors. */
    public static JsonNode read(String text) {
        return JsonNode.root(parse(text));
    }

    /**
     * Writes a value made of maps with string keys, lists, strings, numbers, booleans and
     * {@code null}, indented by two spaces, fields in the map's order. Arrays are written on one line;
     * objects inside them open on that line.
     *
     * @throws IllegalArgumentException naming the path of any other type, a non-finite number, a
     *     non-string key or nesting deeper than {@value #MAX_DEPTH}
     */
    public static String write(Object value) {
        check(value, "$", 0);
        try {
            return WRITER.asString(value);
        } catch (IOException e) {
            // check() admits only what jackson-jr writes, to a string that cannot fail.
            throw new IllegalStateException("writing JSON failed", e);
        }
    }

    /**
     * Copies parsed containers read-only and refuses numbers beyond the doubles, which jackson reads
     * as infinity without a word and which this class never writes.
     */
    private static Object settle(Object value, String path) {
        switch (value) {
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = (String) e.getKey();
                    out.put(key, settle(e.getValue(), path + "." + key));
                }
                return Collections.unmodifiableMap(out);
            }
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    out.add(settle(list.get(i), path + "[" + i + "]"));
                }
                return Collections.unmodifiableList(out);
            }
            case Double d when d.isInfinite() ->
                    throw new JsonFormatException(path, "number is beyond the range of a double");
            case null, default -> {
                return value;
            }
        }
    }

    /**
     * Admits plain JSON values only, so that jackson-jr never falls back to writing a bean, and so that
     * what is written reads back: a decimal beyond the doubles would return as infinity.
     */
    private static void check(Object value, String path, int depth) {
        if ((value instanceof Map<?, ?> || value instanceof List<?>) && depth >= MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException(path + ": JSON field names must be strings, got "
                                + e.getKey());
                    }
                    check(e.getValue(), path + "." + key, depth + 1);
                }
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), path + "[" + i + "]", depth + 1);
                }
            }
            case Double d when !Double.isFinite(d) ->
                    throw new IllegalArgumentException(path + ": JSON has no representation for " + d);
            case Float f when !Float.isFinite(f) ->
                    throw new IllegalArgumentException(path + ": JSON has no representation for " + f);
            case BigDecimal d when Double.isInfinite(d.doubleValue()) ->
                    throw new IllegalArgumentException(path + ": " + d + " is beyond the range of a double");
            case Integer _, Long _, Short _, Byte _, BigInteger _, BigDecimal _, Double _, Float _ -> {
            }
            case String _, Boolean _ -> {
            }
            case null -> {
            }
            default -> throw new IllegalArgumentException(path + ": cannot write " + value.getClass().getName()
                    + " as JSON");
        }
    }

    private static JsonFormatException at(JsonLocation where, String reason) {
        // Jackson counts columns from 1 but reports 0 when it has none; point at the start then.
        int line = Math.max(1, where.getLineNr());
        int column = Math.max(1, where.getColumnNr());
        return new JsonFormatException("line " + line + ", column " + column, reason);
    }

    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        Matcher m = SOURCE.matcher(message);
        message = m.replaceAll("line $1, column $2");
        return SETTING.matcher(message).replaceAll("");
    }
}
