package org.cellforge.space.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.cellforge.space.Architecture;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.Json;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class CellDiagramTest {

    @Test
    void nb201EdgesFollowTheArchStringAndDropNone() {
        Architecture a = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|");
        CellDiagram d = CellDiagram.of(a);
        CellDiagram.Cell cell = d.cells().getFirst();
        assertEquals(List.of(new CellDiagram.Edge("0", "1", "nor_conv_3x3"), new CellDiagram.Edge("1", "2",
                "skip_connect"), new CellDiagram.Edge("0", "3", "avg_pool_3x3"), new CellDiagram.Edge("2", "3",
                "nor_conv_1x1")), cell.edges());
        assertEquals(List.of("in", "1", "2", "out"), cell.nodes().stream().map(CellDiagram.Node::label).toList());
    }

    @Test
    void dartsHasBothCellsWithTheirInputsAndConcatenation() {
        String text = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), "
                + "('sep_conv_3x3', 2), ('dil_conv_3x3', 2), ('skip_connect', 0), ('skip_connect', 0), "
                + "('dil_conv_5x5', 4)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
                + "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), "
                + "('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
        CellDiagram d = CellDiagram.of(DartsSpace.standard().parse(text));
        assertEquals(List.of("normal cell", "reduction cell"), d.cells().stream().map(CellDiagram.Cell::name)
                .toList());
        CellDiagram.Cell normal = d.cells().getFirst();
        // Node 5 (the fourth intermediate node) reads node 4 through dil_conv_5x5.
        assertTrue(normal.edges().contains(new CellDiagram.Edge("4", "5", "dil_conv_5x5")));
        assertEquals(Set.of("2", "3", "4", "5"), normal.edges().stream().filter(e -> e.to().equals("out"))
                .map(CellDiagram.Edge::from).collect(Collectors.toSet()));
        assertEquals(16, d.ops().size());
        assertEquals("max_pool_3x3", d.ops().get(8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonFormCarriesEveryNodeAndEdge() {
        Architecture a = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|skip_connect~1|none~2|");
        Map<String, Object> json = (Map<String, Object>) Json.parse(CellDiagram.of(a).toJson());
        Map<String, Object> cell = ((List<Map<String, Object>>) json.get("cells")).getFirst();
        List<Map<String, Object>> edges = (List<Map<String, Object>>) cell.get("edges");
        assertEquals(List.of("nor_conv_3x3", "nor_conv_3x3", "nor_conv_1x1", "skip_connect", "skip_connect"),
                edges.stream().map(e -> e.get("op")).toList());
        assertEquals("2", edges.get(2).get("to"));
        assertEquals(4, ((List<?>) cell.get("nodes")).size());
    }

    @Test
    void unknownArchitectureTypesAreRefusedByName() {
        Architecture other = new Architecture() {
            @Override
            public String space() {
                return "elsewhere";
            }

            @Override
            public String key() {
                return "x";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellDiagram.of(other));
        assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
    }
}
