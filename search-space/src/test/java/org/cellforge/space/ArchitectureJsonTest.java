package org.cellforge.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;

class ArchitectureJsonTest {

    private static final String DARTS_V2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
            + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    /** The cell of the version 1 fixtures. */
    private static final String NB201_ARCH =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    private final Nb201Space nb201 = Nb201Space.standard();
    private final DartsSpace darts = DartsSpace.standard();

    @Test
    void nb201RoundTripsAndLeadsWithTheArchString() {
        SplittableRandom random = new SplittableRandom(11);
        Nb201Space small = Nb201Space.of(List.of("none", "skip_connect", "nor_conv_3x3"));
        for (Nb201Space space : List.of(nb201, small)) {
            for (int i = 0; i < 1_000; i++) {
                Nb201Cell cell = space.sample(random);
                String json = space.toJson(cell);
                assertEquals(cell, space.fromJson(json));
                JsonNode root = Json.read(json);
                assertEquals(List.of("format", "version", "space", "arch", "edges"), fieldNames(root));
                assertEquals(ArchitectureJson.FORMAT, root.get("format").string());
                assertEquals(2, root.get("version").integer());
                assertEquals("nas-bench-201", root.get("space").string());
                assertEquals(cell.key(), root.get("arch").string());
                List<JsonNode> edges = root.get("edges").elements();
                for (int e = 0; e < Nb201Cell.EDGES; e++) {
                    assertEquals(cell.op(e), edges.get(e).get("op").string());
                    assertEquals(Nb201Cell.from(e), edges.get(e).get("from").integer());
                }
            }
        }
    }

    @Test
    void dartsRoundTripsAndLeadsWithTheGenotypeText() {
        SplittableRandom random = new SplittableRandom(13);
        DartsSpace two = DartsSpace.of(OpRegistry.builtIn(), List.of("none", "skip_connect", "sep_conv_3x3"), 2);
        for (DartsSpace space : List.of(darts, two)) {
            for (int i = 0; i < 1_000; i++) {
                DartsGenotype g = space.sample(random);
                String json = space.toJson(g);
                assertEquals(g, space.fromJson(json));
                JsonNode root = Json.read(json);
                assertEquals(List.of("format", "version", "space", "arch", "normal", "normal_concat", "reduce",
                        "reduce_concat"), fieldNames(root));
                assertEquals(2, root.get("version").integer());
                assertEquals(g.key(), root.get("arch").string());
                assertEquals(g.reduce().getLast().op(), root.get("reduce").elements().getLast().get("op").string());
                assertEquals(g.normalConcat(), root.get("normal_concat").integers());
            }
        }
    }

    @Test
    void textAloneOrStructureAloneIsEnough() {
        Nb201Cell cell = nb201.parse(NB201_ARCH);
        assertEquals(cell, nb201.fromJson("{\"version\": 2, \"space\": \"nas-bench-201\", \"arch\": \"" + NB201_ARCH
                + "\"}"));
        assertEquals(cell, nb201.fromJson(nb201.toJson(cell).replace("\"arch\": \"" + NB201_ARCH + "\",", "")));
        DartsGenotype g = darts.parse(DARTS_V2);
        assertEquals(g, darts.fromJson("{\"format\": \"cellforge-architecture\", \"version\": 2, \"space\": \"darts\","
                + " \"arch\": \"" + DARTS_V2 + "\"}"));
        assertEquals(g, darts.fromJson(darts.toJson(g).replace("\"arch\": \"" + DARTS_V2 + "\",", "")));
    }

    @Test
    void readsVersion1DocumentsOfBothSpaces() {
        assertEquals(nb201.parse(NB201_ARCH), nb201.fromJson(fixture("nb201-v1.json")));
        assertEquals(darts.parse(DARTS_V2), darts.fromJson(fixture("darts-v1.json")));
    }

    @Test
    void anExportReadsBackAsItsArchitecture() {
        Nb201Cell cell = nb201.parse(NB201_ARCH);
        Map<String, Object> sections = new LinkedHashMap<>();
        // Given out of order: the document has one layout whatever the caller's map.
        sections.put("provenance", Map.of("searchId", 12, "trialNumber", 7, "seed", 42L));
        sections.put("results", Map.of("dataset", "fashion-mnist", "validationAccuracy", 0.9137, "epochs", 3));
        sections.put("objectives", Map.of("accuracy", 0.9137));
        sections.put("macro", new Nb201Macro(16, 5, 1, 10).toJson());
        String json = nb201.toJson(cell, sections);
        JsonNode root = Json.read(json);
        assertEquals(List.of("format", "version", "space", "arch", "edges", "macro", "objectives", "results",
                "provenance"), fieldNames(root));
        assertEquals(new Nb201Macro(16, 5, 1, 10), Nb201Macro.fromJson(root.get("macro")));
        assertEquals(0.9137, root.get("results").get("validationAccuracy").value());
        assertEquals(cell, nb201.fromJson(json));

        DartsGenotype g = darts.parse(DARTS_V2);
        String dartsExport = darts.toJson(g, Map.of("macro", DartsMacro.of(36, 20, 3, 10).toJson(),
                "results", Map.of("validationAccuracy", 0.97)));
        assertEquals(g, darts.fromJson(dartsExport));
        assertEquals(DartsMacro.of(36, 20, 3, 10), DartsMacro.fromJson(Json.read(dartsExport).get("macro")));
    }

    @Test
    void sectionsAreReadPastWhateverTheyHold() {
        String json = nb201.toJson(nb201.parse(NB201_ARCH)).replace("\n}",
                ",\n  \"results\": [1, {\"anything\": null}],\n  \"provenance\": \"a note\"\n}");
        assertEquals(nb201.parse(NB201_ARCH), nb201.fromJson(json));
    }

    @Test
    void writingRefusesSectionsOutsideTheFixedSet() {
        Nb201Cell cell = nb201.parse(NB201_ARCH);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> nb201.toJson(cell, Map.of("metrics", Map.of())));
        assertTrue(unknown.getMessage().contains("\"metrics\"") && unknown.getMessage().contains("provenance"),
                unknown.getMessage());
        IllegalArgumentException notObject = assertThrows(IllegalArgumentException.class,
                () -> nb201.toJson(cell, Map.of("results", 0.91)));
        assertTrue(notObject.getMessage().contains("\"results\" must be an object"), notObject.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> darts.toJson(darts.parse(DARTS_V2), Map.of("results", Map.of("loss", Double.NaN))));
        assertTrue(nan.getMessage().startsWith("$.results.loss: "), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> nb201.toJson(Nb201Cell.of("none", "none", "none", "none", "none", "conv_7x7")));
    }

    @Test
    void readsTheOldExport() {
        String export = fixture("nb201-export-v1.json");
        assertEquals(nb201.parse(NB201_ARCH), nb201.fromJson(export));
        String withNulls = export.replace("\"validationAccuracy\":0.9137", "\"validationAccuracy\":null")
                .replace("\"macro\":{\"channels\":16,\"cellsPerStage\":5,\"inputChannels\":1,\"classes\":10}",
                        "\"macro\":null");
        assertEquals(nb201.parse(NB201_ARCH), nb201.fromJson(withNulls));
        assertWhere(nb201, "$.edges", export.replace("\"from\":0,\"to\":3,\"op\":\"skip_connect\"",
                "\"from\":0,\"to\":3,\"op\":\"none\""), "but \"arch\" is " + NB201_ARCH);
        assertWhere(nb201, "$.version", export.replace("\"version\":1", "\"version\":2"), "only had version 1");
        assertWhere(nb201, "$.objectives", export.replace("\"seed\":42", "\"objectives\":{}"), "unknown field");
    }

    @Test
    void headerErrorsNameTheField() {
        String json = nb201.toJson(nb201.parse(NB201_ARCH));
        assertWhere(nb201, "$.format", json.replace("cellforge-architecture", "cellforge-space"),
                "expected \"cellforge-architecture\"");
        assertWhere(nb201, "$.version", json.replace("\"version\": 2", "\"version\": 3"),
                "unsupported version 3, written by a newer Cellforge");
        assertWhere(nb201, "$.version", json.replace("\"version\": 2", "\"version\": 0"), "unsupported version 0");
        assertWhere(nb201, "$.version", json.replace("\"version\": 2", "\"version\": \"2\""), "must be an integer");
        assertWhere(nb201, "$", json.replace("\"version\": 2,", ""), "missing field \"version\"");
        assertWhere(nb201, "$.space", json.replace("\"nas-bench-201\"", "\"darts\""), "expected \"nas-bench-201\"");
        assertWhere(darts, "$.space", darts.toJson(darts.parse(DARTS_V2)).replace("\"darts\"", "\"nas-bench-201\""),
                "expected \"darts\"");
        assertWhere(nb201, "$", "[1, 2]", "must be an object");
        assertWhere(nb201, "$", "{\"version\": 2, \"space\": \"nas-bench-201\"}", "needs \"arch\"");
    }

    @Test
    void unknownFieldsAreRefusedButSectionsOnlyFromVersion2() {
        String json = nb201.toJson(nb201.parse(NB201_ARCH));
        assertWhere(nb201, "$.archs", json.replace("\"arch\":", "\"archs\":"), "unknown field");
        assertWhere(nb201, "$.metrics", json.replace("\n}", ",\n  \"metrics\": {}\n}"), "unknown field");
        assertWhere(nb201, "$.macro", fixture("nb201-v1.json").replace("\n}", ",\n  \"macro\": {}\n}"),
                "unknown field");
        String dartsJson = darts.toJson(darts.parse(DARTS_V2));
        assertWhere(darts, "$.edges", dartsJson.replace("\n}", ",\n  \"edges\": []\n}"), "unknown field");
        assertWhere(darts, "$.normal[0].opp", dartsJson.replaceFirst("\"op\":", "\"opp\":"), "unknown field");
    }

    @Test
    void textAndStructureMustAgree() {
        String arch = NB201_ARCH.replace("skip_connect~0", "avg_pool_3x3~0");
        assertWhere(nb201, "$.edges", nb201.toJson(nb201.parse(NB201_ARCH)).replace(NB201_ARCH, arch),
                "describes " + NB201_ARCH + " but \"arch\" is " + arch);

        DartsGenotype g = darts.parse(DARTS_V2);
        String json = darts.toJson(g);
        // Swapping two pairs' inputs of the reduction cell's last node keeps it in the space.
        String reduceOnly = json.replace("('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat",
                "('skip_connect', 1), ('max_pool_3x3', 2)], reduce_concat");
        assertWhere(darts, "$.reduce", reduceOnly, "but \"arch\" is Genotype(");
        String normal = json.replace("('dil_conv_3x3', 2)]", "('dil_conv_5x5', 2)]");
        assertWhere(darts, "$.normal", normal, "describes " + DARTS_V2 + " but \"arch\" is");
        assertWhere(darts, "$.arch", json.replace("('dil_conv_3x3', 2)]", "('none', 2)]"), "zero op");
        assertWhere(darts, "$", json.replaceFirst(",\\s*\"reduce\": \\[[^\\]]*\\]", ""), "missing field \"reduce\"");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        String json = nb201.toJson(nb201.parse(NB201_ARCH));
        assertWhere(nb201, "line 4, column 3", json.replace("\"space\"", "space"), "Unexpected character");
        assertWhere(nb201, "line 5, column 9", json.replace("\"space\"", "\"arch\""), "Duplicate field 'arch'");
        assertWhere(darts, "line 1, column 1", "", "end of input");
        String deep = json.replace("\n}", ",\n  \"results\": " + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)
                + "\n}");
        JsonFormatException tooDeep = assertThrows(JsonFormatException.class, () -> nb201.fromJson(deep));
        assertTrue(tooDeep.where().startsWith("line " + json.lines().count() + ", column "), tooDeep.where());
        assertTrue(tooDeep.getMessage().contains("nesting depth"), tooDeep.getMessage());
    }

    private static void assertWhere(SearchSpace<?> space, String where, String json, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> space.fromJson(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static List<String> fieldNames(JsonNode object) {
        return List.copyOf(((Map<?, ?>) object.value()).keySet().stream().map(String.class::cast).toList());
    }

    private static String fixture(String name) {
        try (InputStream in = Objects.requireNonNull(ArchitectureJsonTest.class.getResourceAsStream(
                "architecture-json/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
