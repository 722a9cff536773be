package org.cellforge.space.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void writeThenParseGivesTheSameValue() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é \u2028 😀");
        inner.put("list", Arrays.asList(1, -2.5, true, false, null));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("inner", inner);
        root.put("nested", List.of(Map.of("a", List.of()), Map.of()));
        Object parsed = Json.parse(Json.write(root));
        JsonNode node = JsonNode.root(parsed);
        assertEquals(1, node.get("version").integer());
        assertEquals(inner.get("text"), node.get("inner").get("text").string());
        assertEquals(Arrays.asList(1, -2.5, true, false, null), node.get("inner").get("list").value());
        assertEquals(root, parsed);
        assertEquals(Json.write(root), Json.write(parsed), "writing is stable across a round trip");
    }

    @Test
    void readsEscapesAndNumbers() {
        JsonNode n = Json.read("{\"s\": \"a\\u00e9\\/\\ud83d\\ude00\", \"n\": -0.5e2, \"big\": 12345678901,"
                + " \"huge\": 123456789012345678901234567890, \"nothing\": null}");
        assertEquals("aé/😀", n.get("s").string());
        assertEquals(-50.0, n.get("n").value());
        assertEquals(12345678901L, n.get("big").value());
        assertEquals(new BigInteger("123456789012345678901234567890"), n.get("huge").value());
        assertTrue(n.has("nothing"));
        assertNull(n.get("nothing").value());
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> n.get("big").integer());
        assertEquals("$.big", e.where());
        assertTrue(e.getMessage().contains("int range"), e.getMessage());
    }

    @Test
    void doublesAndLongsRoundTripBitForBit() {
        SplittableRandom random = new SplittableRandom(7);
        List<Double> doubles = new ArrayList<>(List.of(0.1, -0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 1e-320, 1.0 / 3, 2e22, 9007199254740993.0));
        List<Long> longs = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 9007199254740993L));
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                doubles.add(d);
            }
            doubles.add(random.nextDouble());
            longs.add(random.nextLong());
        }
        List<?> readDoubles = (List<?>) Json.parse(Json.write(doubles));
        for (int i = 0; i < doubles.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(doubles.get(i)),
                    Double.doubleToRawLongBits((Double) readDoubles.get(i)), "double " + doubles.get(i));
        }
        List<?> readLongs = (List<?>) Json.parse(Json.write(longs));
        for (int i = 0; i < longs.size(); i++) {
            assertEquals(longs.get(i).longValue(), ((Number) readLongs.get(i)).longValue());
            assertFalse(readLongs.get(i) instanceof Double, "whole numbers are not read as doubles");
        }
    }

    @Test
    void numbersBeyondTheDoubleRangeAreRefused() {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse("{\"x\": [1, -1e999]}"));
        assertEquals("$.x[1]", e.where());
        assertTrue(e.getMessage().contains("range of a double"), e.getMessage());
    }

    @Test
    void integersAcceptWholeNumbersWrittenAnyWay() {
        JsonNode n = Json.read("{\"a\": 16.0, \"b\": 1e3, \"c\": 2.5, \"d\": \"7\", \"e\": -3}");
        assertEquals(16, n.get("a").integer());
        assertEquals(1000, n.get("b").integer());
        assertEquals(-3, n.get("e").integer());
        assertTrue(assertThrows(JsonFormatException.class, () -> n.get("c").integer()).getMessage()
                .contains("$.c: must be an integer, got 2.5"));
        assertTrue(assertThrows(JsonFormatException.class, () -> n.get("d").integer()).getMessage()
                .contains("$.d: must be an integer, got \"7\""));
        assertTrue(assertThrows(JsonFormatException.class, () -> n.get("e").integer(0)).getMessage()
                .contains("at least 0"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": 1,}|line 1, column 9|field name",
        "{\"a\": 1 \"b\": 2}|line 1, column 9|comma",
        "[1, 2|line 1, column 6|end-of-input",
        "{\"a\": 01}|line 1, column 8|Leading zeroes",
        "{\"a\": tru}|line 1, column 7|'tru'",
        "{\"a\": NaN}|line 1, column 10|'NaN'",
        "{'a': 1}|line 1, column 2|double-quote",
        "// note\\n{}|line 1, column 1|comment",
        "\"abc|line 1, column 5|end-of-input",
        "\"a\tb\"|line 1, column 3|escaped",
        "{\"a\": 1} x|line 1, column 10|'x'",
        "{\"a\": 1} [|line 1, column 10|after the JSON value",
        "{\"a\": 1, \"a\": 2}|line 1, column 13|Duplicate field 'a'",
        "|line 1, column 1|unexpected end of input",
        "`   `|line 1, column 4|unexpected end of input",
    })
    void syntaxErrorsNameLineColumnAndReason(String text, String where, String reason) {
        String json = text == null ? "" : text.replace("\\n", "\n");
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertFalse(e.getMessage().contains("Source") || e.getMessage().contains("`")
                || e.getMessage().contains("Feature"), "no parser internals in the message: " + e.getMessage());
    }

    @Test
    void errorsAcrossLinesCountLines() {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse("{\n  \"a\": [1,\n  ?]\n}"));
        assertEquals("line 3, column 3", e.where());
        JsonFormatException twice = assertThrows(JsonFormatException.class,
                () -> Json.parse("{\n  \"ops\": 1,\n  \"ops\": 2\n}"));
        assertEquals("line 3, column 8", twice.where());
        assertTrue(twice.getMessage().contains("'ops'"), twice.getMessage());
        JsonFormatException open = assertThrows(JsonFormatException.class, () -> Json.parse("[\n  [1,\n  2"));
        assertTrue(open.getMessage().contains("start marker at line 2, column 3"), open.getMessage());
    }

    @Test
    void shapeErrorsNameThePath() {
        JsonNode n = Json.read("{\"ops\": [{\"name\": 3}], \"extra\": true}");
        JsonFormatException wrongType = assertThrows(JsonFormatException.class,
                () -> n.get("ops").elements().get(0).get("name").string());
        assertEquals("$.ops[0].name", wrongType.where());
        assertTrue(wrongType.getMessage().contains("must be a string, got 3"), wrongType.getMessage());
        JsonFormatException missing = assertThrows(JsonFormatException.class, () -> n.get("version"));
        assertTrue(missing.getMessage().contains("missing field \"version\""), missing.getMessage());
        JsonFormatException unknown = assertThrows(JsonFormatException.class, () -> n.only(Set.of("ops")));
        assertEquals("$.extra", unknown.where());
    }

    @Test
    void headerRefusesOtherFormatsAndNewerVersions() {
        assertEquals(1, Json.read("{\"format\": \"f\", \"version\": 1}").header("f", 1));
        JsonFormatException newer = assertThrows(JsonFormatException.class,
                () -> Json.read("{\"version\": 2}").header("f", 1));
        assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
        assertEquals("$.format", assertThrows(JsonFormatException.class,
                () -> Json.read("{\"format\": \"g\", \"version\": 1}").header("f", 1)).where());
    }

    @Test
    void nestingIsLimitedBothWays() {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object read = Json.parse(deepest);
        assertEquals(deepest, Json.write(read).replace(" ", ""));

        JsonFormatException tooDeep = assertThrows(JsonFormatException.class,
                () -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
        assertTrue(tooDeep.where().startsWith("line 1, column "), tooDeep.where());
        assertTrue(tooDeep.getMessage().contains("nesting depth"), tooDeep.getMessage());
        assertFalse(tooDeep.getMessage().contains("`"), tooDeep.getMessage());
        assertThrows(JsonFormatException.class, () -> Json.parse("[".repeat(100_000) + "]".repeat(100_000)));

        List<Object> nested = new ArrayList<>();
        for (int i = 1; i <= Json.MAX_DEPTH; i++) {
            nested = new ArrayList<>(List.of(nested));
        }
        List<Object> tooDeepToWrite = nested;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeepToWrite));
        assertTrue(e.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), e.getMessage());
        List<Object> itself = new ArrayList<>();
        itself.add(itself);
        assertThrows(IllegalArgumentException.class, () -> Json.write(itself), "a cycle is refused, not overflowed");
    }

    @Test
    void writingRefusesValuesJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("results", List.of(1.0, Double.POSITIVE_INFINITY))));
        assertTrue(infinite.getMessage().startsWith("$.results[1]: "), infinite.getMessage());
        IllegalArgumentException object = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("x", new Object())));
        assertTrue(object.getMessage().startsWith("$.x: cannot write java.lang.Object"), object.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "one")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new BigDecimal("1e400")));
        assertEquals("[1E+300]", Json.write(List.of(new BigDecimal("1e300"))));
    }

    @Test
    void writesFieldsInOrderOnePerLineAndArraysOnTheirLine() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("zeta", "last letter first");
        root.put("alpha", 1);
        root.put("concat", List.of(2, 3, 4, 5));
        root.put("edges", List.of(Map.of("op", "none"), Map.of("op", "skip_connect")));
        root.put("empty", Map.of());
        root.put("none", List.of());
        root.put("missing", null);
        root.put("ratio", 0.25);
        assertEquals("""
                {
                  "zeta": "last letter first",
                  "alpha": 1,
                  "concat": [2, 3, 4, 5],
                  "edges": [{
                    "op": "none"
                  }, {
                    "op": "skip_connect"
                  }],
                  "empty": {},
                  "none": [],
                  "missing": null,
                  "ratio": 0.25
                }""", Json.write(root));
    }

    @Test
    void readingKeepsFieldOrderAndGivesReadOnlyValues() {
        String text = "{\"b\": 1, \"a\": {\"z\": [1], \"y\": 2}, \"c\": 3}";
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) Json.parse(text);
        assertEquals(List.of("b", "a", "c"), List.copyOf(read.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) read.get("a");
        assertEquals(List.of("z", "y"), List.copyOf(inner.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> read.put("d", 4));
        assertThrows(UnsupportedOperationException.class, () -> inner.remove("y"));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) inner.get("z");
        assertThrows(UnsupportedOperationException.class, () -> list.add(2));
        assertEquals(text, Json.write(read).replaceAll("\\s*\n\\s*", " ").replace("{ ", "{").replace(" }", "}"));
    }
}
