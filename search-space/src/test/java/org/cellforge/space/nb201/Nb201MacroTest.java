package org.cellforge.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cellforge.space.ReferenceCounts;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;

class Nb201MacroTest {

    private final Nb201Space space = Nb201Space.standard();

    @Test
    void parameterAndFlopCountsEqualThePyTorchReference() {
        List<ReferenceCounts.Row> rows = ReferenceCounts.rows("nb201");
        Set<String> archs = new HashSet<>();
        Set<Integer> widths = new HashSet<>();
        for (ReferenceCounts.Row row : rows) {
            Nb201Cell cell = space.parse(row.arch());
            Nb201Macro macro = new Nb201Macro(row.a(), row.b(), row.c(), row.classes());
            assertEquals(row.params(), macro.parameters(cell), "parameters of " + row.arch() + " at " + macro);
            assertEquals(row.flops(), macro.flops(OpRegistry.builtIn(), cell, row.size(), row.size()),
                    "FLOPs of " + row.arch() + " at " + macro);
            archs.add(row.arch());
            widths.add(row.a());
        }
        assertTrue(archs.size() >= 20, "at least 20 genotypes, got " + archs.size());
        assertTrue(widths.size() >= 2, "at least two widths, got " + widths);
    }

    @Test
    void customOperationsAreCountedThroughTheRegistry() {
        OpRegistry ops = OpRegistry.builtIn().withConfig(
                "{\"version\": 1, \"ops\": [{\"name\": \"nor_conv_5x5\", \"type\": \"conv\", \"kernel\": 5}]}");
        Nb201Space custom = Nb201Space.of(ops, List.of("none", "nor_conv_3x3", "nor_conv_5x5"));
        Nb201Cell three = custom.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        Nb201Cell five = custom.parse("|nor_conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        Nb201Macro macro = new Nb201Macro(8, 1, 1, 10);
        // One edge per stage grows from 9·C² to 25·C² weights, at C = 8, 16, 32.
        assertEquals(16L * (64 + 256 + 1024), macro.parameters(ops, five) - macro.parameters(ops, three));
        assertThrows(IllegalArgumentException.class, () -> macro.parameters(five));
    }

    @Test
    void imageSidesMustSurviveTwoReductions() {
        Nb201Macro macro = new Nb201Macro(8, 1, 1, 10);
        Nb201Cell cell = space.sample(new java.util.SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> macro.flops(OpRegistry.builtIn(), cell, 30, 28));
        assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
    }

    @Test
    void jsonRoundTripsAndNamesBadFields() {
        Nb201Macro macro = new Nb201Macro(16, 5, 3, 100);
        assertEquals(macro, Nb201Macro.fromJson(Json.read(Json.write(macro.toJson()))));
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Nb201Macro.fromJson(
                Json.read("{\"channels\": 0, \"cellsPerStage\": 1, \"inputChannels\": 1, \"classes\": 10}")));
        assertEquals("$.channels", e.where());
        assertThrows(IllegalArgumentException.class, () -> new Nb201Macro(8, 1, 1, 1));
    }
}
