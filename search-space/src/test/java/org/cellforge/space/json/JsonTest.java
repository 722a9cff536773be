package org.cellforge.space.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void writeThenParseGivesTheSameValue() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        inner.put("list", List.of(1, -2.5, true, false, Json.NULL));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("inner", inner);
        root.put("nested", List.of(Map.of("a", List.of()), Map.of()));
        Object parsed = Json.parse(Json.write(root));
        JsonNode node = JsonNode.root(parsed);
        assertEquals(1, node.get("version").integer());
        assertEquals(inner.get("text"), node.get("inner").get("text").string());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("-2.5"), true, false, Json.NULL),
                node.get("inner").get("list").value());
        assertEquals(Json.write(root), Json.write(parsed), "writing is stable across a round trip");
    }

    @Test
    void readsEscapesAndNumbers() {
        JsonNode n = Json.read("{\"s\": \"a\\u00e9\\/\", \"n\": -0.5e2, \"big\": 12345678901}");
        assertEquals("aé/", n.get("s").string());
        assertEquals(new BigDecimal("-0.5e2"), n.get("n").value());
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> n.get("big").integer());
        assertEquals("$.big", e.where());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\": 1,}|line 1, column 9|expected a field name",
        "{\"a\": 1 \"b\": 2}|line 1, column 9|expected ',' or '}'",
        "[1, 2|line 1, column 6|expected ',' or ']'",
        "{\"a\": 01}|line 1, column 8|expected ',' or '}'",
        "{\"a\": tru}|line 1, column 7|expected a value",
        "\"abc|line 1, column 5|unterminated string",
        "{\"a\": 1} x|line 1, column 10|unexpected text after",
        "{\"a\": 1, \"a\": 2}|line 1, column 10|appears twice",
        "|line 1, column 1|unexpected end of input",
    })
    void syntaxErrorsNameLineColumnAndReason(String text, String where, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse(text == null ? "" : text));
        assertEquals(where, e.where());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void errorsAcrossLinesCountLines() {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse("{\n  \"a\": [1,\n  ?]\n}"));
        assertEquals("line 3, column 3", e.where());
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
    void deepNestingIsRefusedNotOverflowed() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThrows(JsonFormatException.class, () -> Json.parse(deep));
    }

    @Test
    void writingRefusesValuesJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
