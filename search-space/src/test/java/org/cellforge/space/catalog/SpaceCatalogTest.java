package org.cellforge.space.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class SpaceCatalogTest {

    @Test
    void standardSpacesByNameRoundTripThroughConfiguration() {
        for (String name : SpaceCatalog.NAMES) {
            var space = SpaceCatalog.standard(name);
            assertEquals(name, space.name());
            assertEquals(space, SpaceCatalog.read(SpaceCatalog.write(space)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceCatalog.standard("nb101"));
        assertTrue(e.getMessage().contains("[nas-bench-201, darts]"), e.getMessage());
    }

    @Test
    void userDefinedOperationsWorkInBothSpacesWithoutCode() {
        String config = """
                {"format": "cellforge-space", "version": 1, "space": "nas-bench-201",
                 "define": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
                            {"name": "se_2", "type": "squeeze_excite", "reduction": 2}],
                 "ops": ["none", "skip_connect", "nor_conv_5x5", "se_2"]}""";
        Nb201Space space = (Nb201Space) SpaceCatalog.read(config);
        assertEquals(4_096, space.size().intValueExact());
        Nb201Cell cell = space.parse("|nor_conv_5x5~0|+|se_2~0|none~1|+|skip_connect~0|none~1|nor_conv_5x5~2|");
        assertEquals(cell, space.fromJson(space.toJson(cell)));
        SplittableRandom random = new SplittableRandom(3);
        assertTrue(space.contains(space.mutate(cell, random)));
        assertEquals(space, SpaceCatalog.read(SpaceCatalog.write(space)));

        DartsSpace darts = (DartsSpace) SpaceCatalog.read("""
                {"version": 1, "space": "darts", "steps": 3,
                 "define": [{"name": "sep_conv_7x7", "type": "sep_conv", "kernel": 7}],
                 "ops": ["none", "skip_connect", "sep_conv_3x3", "sep_conv_7x7"]}""");
        assertEquals(List.of("skip_connect", "sep_conv_3x3", "sep_conv_7x7"), darts.discreteOps());
        DartsGenotype g = darts.sample(random);
        assertEquals(6, g.normal().size());
        assertEquals(g, darts.parse(g.key()));
        assertEquals(18, darts.encoding().length());
        // Two depthwise 7x7, two pointwise 16x16, two batch norms.
        assertEquals(2 * 49 * 16 + 2 * 16 * 16 + 2 * 2 * 16, darts.op("sep_conv_7x7").parameters(16, 16, 1));
    }

    @Test
    void badConfigurationNamesTheField() {
        assertWhere("$.space", "{\"version\": 1, \"space\": \"nb101\"}", "unknown search space");
        assertWhere("$.ops", "{\"version\": 1, \"space\": \"nas-bench-201\", \"ops\": [\"none\", \"conv_9\"]}",
                "unknown operation 'conv_9'");
        assertWhere("$.ops", "{\"version\": 1, \"space\": \"darts\", \"ops\": [\"none\"]}", "other than a zero op");
        assertWhere("$.steps", "{\"version\": 1, \"space\": \"darts\", \"steps\": 0}", "steps");
        assertWhere("$.steps", "{\"version\": 1, \"space\": \"nas-bench-201\", \"steps\": 4}", "only the darts space");
        assertWhere("$.define[0].kernel", "{\"version\": 1, \"space\": \"darts\", \"define\": "
                + "[{\"name\": \"x\", \"type\": \"conv\", \"kernel\": \"3\"}]}", "must be an integer");
        assertWhere("$.define", "{\"version\": 1, \"space\": \"darts\", \"define\": "
                + "[{\"name\": \"sep_conv_3x3\", \"type\": \"conv\", \"kernel\": 3}]}", "already defined");
        assertWhere("$.opps", "{\"version\": 1, \"space\": \"darts\", \"opps\": []}", "unknown field");
    }

    private static void assertWhere(String where, String json, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> SpaceCatalog.read(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
