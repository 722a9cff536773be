package org.cellforge.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cellforge.space.ReferenceCounts;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;

class DartsMacroTest {

    @Test
    void parameterAndFlopCountsEqualPyTorchModules() {
        List<ReferenceCounts.Row> rows = ReferenceCounts.rows("darts");
        assertTrue(rows.size() >= 9, "reference rows " + rows.size());
        for (ReferenceCounts.Row row : rows) {
            DartsGenotype g = DartsSpace.standard().parse(row.arch());
            DartsMacro macro = DartsMacro.of(row.a(), row.b(), row.c(), row.classes());
            assertEquals(row.params(), macro.parameters(g), "parameters of " + row.arch() + " at " + macro);
            assertEquals(row.flops(), macro.flops(OpRegistry.builtIn(), g, row.size(), row.size()),
                    "FLOPs of " + row.arch() + " at " + macro);
        }
    }

    /** The DARTS paper's CIFAR-10 network: C = 36, 20 cells; its training log reports 3.349342 M parameters. */
    @Test
    void dartsV2AtPaperSizeHasThePublishedParameterCount() {
        DartsGenotype v2 = DartsSpace.standard().parse(DartsSpaceTest.DARTS_V2);
        ReferenceCounts.Row torch = ReferenceCounts.rows("darts").stream()
                .filter(r -> r.a() == 36 && r.b() == 20).findFirst().orElseThrow();
        assertEquals(torch.params(), DartsMacro.of(36, 20, 3, 10).parameters(v2));
        assertEquals(3.349342, torch.params() / 1e6, 5e-7);
    }

    @Test
    void reductionCellsSitAtOneAndTwoThirds() {
        DartsMacro macro = DartsMacro.of(16, 8, 1, 10);
        assertEquals(List.of(2, 5), macro.reductionIndices());
        assertTrue(macro.isReduction(2) && macro.isReduction(5) && !macro.isReduction(3));
    }

    @Test
    void jsonRoundTripsAndNamesBadFields() {
        DartsMacro macro = new DartsMacro(36, 20, 3, 10, 3);
        assertEquals(macro, DartsMacro.fromJson(Json.read(Json.write(macro.toJson()))));
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> DartsMacro.fromJson(
                Json.read("{\"channels\": 16, \"layers\": 2, \"inputChannels\": 1, \"classes\": 10}")));
        assertEquals("$.layers", e.where());
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
    }
}
