package org.cellforge.space.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cellforge.space.ReferenceCounts;
import org.cellforge.space.json.JsonFormatException;
import org.junit.jupiter.api.Test;

class OpRegistryTest {

    @Test
    void builtInsCoverBothBenchmarksAndAreUnary() {
        OpRegistry r = OpRegistry.builtIn();
        assertEquals(List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3", "max_pool_3x3",
                "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5", "squeeze_excite"), r.names());
        r.ops().forEach(op -> assertEquals(1, op.arity(), op.name()));
    }

    @Test
    void countsEqualTorchModulesForEveryBuiltInAtSeveralShapes() {
        List<ReferenceCounts.Row> rows = ReferenceCounts.rows("op");
        assertTrue(rows.size() >= 40, "reference table has op rows");
        for (ReferenceCounts.Row row : rows) {
            Op op = OpRegistry.builtIn().get(row.arch());
            String where = row.arch() + " in=" + row.a() + " out=" + row.b() + " stride=" + row.c() + " size=" + row.size();
            assertEquals(row.params(), op.parameters(row.a(), row.b(), row.c()), "parameters of " + where);
            assertEquals(row.flops(), op.flops(row.a(), row.b(), row.c(), row.size(), row.size()), "FLOPs of " + where);
        }
    }

    @Test
    void configAddsOperationsAndRoundTrips() {
        String config = """
                {"format": "cellforge-ops", "version": 1, "ops": [
                  {"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
                  {"name": "dil_conv_3x3_d4", "type": "dil_conv", "kernel": 3, "dilation": 4},
                  {"name": "se_8", "type": "squeeze_excite", "reduction": 8},
                  {"name": "max_pool_5x5", "type": "max_pool", "kernel": 5}]}""";
        OpRegistry r = OpRegistry.builtIn().withConfig(config);
        assertEquals(new Op("nor_conv_5x5", OpType.CONV, 5, 1, 1), r.get("nor_conv_5x5"));
        assertEquals(4, r.get("dil_conv_3x3_d4").dilation());
        assertEquals(2, r.get("se_8").hidden(16));
        assertEquals(r, OpRegistry.builtIn().withConfig(r.toConfig()));
        assertFalse(OpRegistry.builtIn().find("nor_conv_5x5").isPresent(), "the built-in table is not changed");
    }

    @Test
    void sameDefinitionTwiceIsFineAnotherDefinitionUnderAnOldNameIsNot() {
        OpRegistry r = OpRegistry.builtIn().with(Op.of("nor_conv_3x3", OpType.CONV, 3));
        assertEquals(OpRegistry.builtIn(), r);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpRegistry.builtIn().with(Op.of("nor_conv_3x3", OpType.CONV, 5)));
        assertTrue(e.getMessage().contains("already defined as conv_3x3"), e.getMessage());
    }

    @Test
    void badConfigNamesTheField() {
        assertWhere("$.ops[0].type", "{\"version\": 1, \"ops\": [{\"name\": \"x\", \"type\": \"convolution\"}]}",
                "unknown operation type 'convolution'");
        assertWhere("$.ops[0]", "{\"version\": 1, \"ops\": [{\"name\": \"x\", \"type\": \"conv\", \"kernel\": 4}]}",
                "kernel must be odd");
        assertWhere("$.ops[0]", "{\"version\": 1, \"ops\": [{\"name\": \"x\", \"type\": \"identity\", \"kernel\": 3}]}",
                "kernel must be 1 for type identity");
        assertWhere("$.ops[0].kernal", "{\"version\": 1, \"ops\": [{\"name\": \"x\", \"type\": \"conv\", \"kernal\": 3}]}",
                "unknown field");
        assertWhere("$.ops", "{\"version\": 1, \"ops\": [{\"name\": \"none\", \"type\": \"identity\"}]}",
                "already defined");
        assertWhere("$.ops[0]", "{\"version\": 1, \"ops\": [{\"name\": \"a b\", \"type\": \"identity\"}]}",
                "operation name must start with a letter");
        assertWhere("$.version", "{\"version\": 7, \"ops\": []}", "newer");
        assertWhere("$", "{\"ops\": []}", "missing field \"version\"");
    }

    private static void assertWhere(String where, String json, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> OpRegistry.builtIn().withConfig(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void rolesDependOnShape() {
        Op skip = OpRegistry.builtIn().get("skip_connect");
        assertEquals(Op.Role.IDENTITY, skip.role(8, 8, 1));
        assertEquals(Op.Role.NONLINEAR, skip.role(8, 8, 2));
        Op pool = OpRegistry.builtIn().get("avg_pool_3x3");
        assertEquals(Op.Role.LINEAR, pool.role(8, 8, 2));
        assertEquals(Op.Role.NONLINEAR, pool.role(8, 16, 1));
        assertEquals(Op.Role.NONLINEAR, OpRegistry.builtIn().get("max_pool_3x3").role(8, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> skip.role(8, 8, 3));
    }
}
