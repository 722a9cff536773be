package org.cellforge.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.space.ChiSquare;
import org.cellforge.space.Encoding;
import org.cellforge.space.Relaxation;
import org.cellforge.space.json.JsonFormatException;
import org.junit.jupiter.api.Test;

/** Encoding, relaxation, mutation, crossover and JSON of the NAS-Bench-201 space, as seeded property loops. */
class Nb201VariationTest {

    private final Nb201Space space = Nb201Space.standard();
    private final Encoding<Nb201Cell> encoding = space.encoding();

    @Test
    void encodingIsABijectionOntoItsRanges() {
        assertEquals(6, encoding.length());
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            Nb201Cell cell = space.sample(random);
            int[] genes = encoding.encode(cell);
            for (int p = 0; p < genes.length; p++) {
                assertTrue(genes[p] >= 0 && genes[p] < encoding.cardinality(p));
            }
            assertEquals(cell, encoding.decode(genes));
            assertArrayEquals(genes, encoding.encode(encoding.decode(genes)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoding.decode(new int[] {0, 0, 5, 0, 0, 0}));
        assertTrue(e.getMessage().contains("position 2 (op of edge 1->2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoding.decode(new int[5]));
    }

    @Test
    void samplingIsUniformOverAllArchStrings() {
        SplittableRandom random = new SplittableRandom(17);
        long[] counts = new long[15_625];
        for (int i = 0; i < 156_250; i++) {
            int[] g = encoding.encode(space.sample(random));
            int index = 0;
            for (int p = g.length - 1; p >= 0; p--) {
                index = index * 5 + g[p];
            }
            counts[index]++;
        }
        double chi = ChiSquare.uniform(counts);
        assertTrue(chi < ChiSquare.bound(counts.length), "chi-square " + chi + " over 15,625 cells");
    }

    @Test
    void mutationChangesExactlyOneEdgeAndReachesEveryNeighbourEvenly() {
        SplittableRandom random = new SplittableRandom(23);
        Nb201Cell parent = space.parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        Map<Nb201Cell, Long> children = new HashMap<>();
        for (int i = 0; i < 24_000; i++) {
            Nb201Cell child = space.mutate(parent, random);
            assertTrue(space.contains(child));
            assertNotEquals(parent, child);
            int changed = 0;
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                changed += parent.op(e).equals(child.op(e)) ? 0 : 1;
            }
            assertEquals(1, changed, child.key());
            children.merge(child, 1L, Long::sum);
        }
        assertEquals(24, children.size(), "6 edges x 4 other operations");
        double chi = ChiSquare.uniform(children.values().stream().mapToLong(Long::longValue).toArray());
        assertTrue(chi < ChiSquare.bound(24), "chi-square " + chi);
        for (int i = 0; i < 2_000; i++) {
            Nb201Cell p = space.sample(random);
            assertNotEquals(p, space.mutate(p, random));
        }
        Nb201Space single = Nb201Space.of(List.of("nor_conv_3x3"));
        assertThrows(IllegalStateException.class, () -> single.mutate(single.sample(random), random));
    }

    @Test
    void crossoverTakesEveryEdgeFromAParentAndMixesThem() {
        SplittableRandom random = new SplittableRandom(29);
        int mixed = 0;
        for (int i = 0; i < 2_000; i++) {
            Nb201Cell a = space.sample(random);
            Nb201Cell b = space.sample(random);
            Nb201Cell child = space.crossover(a, b, random);
            boolean fromA = false;
            boolean fromB = false;
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                assertTrue(child.op(e).equals(a.op(e)) || child.op(e).equals(b.op(e)));
                fromA |= child.op(e).equals(a.op(e)) && !a.op(e).equals(b.op(e));
                fromB |= child.op(e).equals(b.op(e)) && !a.op(e).equals(b.op(e));
            }
            mixed += fromA && fromB ? 1 : 0;
        }
        assertTrue(mixed > 1_500, "most children should mix both parents, got " + mixed);
    }

    @Test
    void relaxationHasOneRowPerEdgeAndDiscretizesToTheArgmax() {
        Relaxation r = space.relaxation();
        assertArrayEquals(new int[] {1, 6, 5}, r.shape());
        assertEquals(List.of("0->1", "0->2", "1->2", "0->3", "1->3", "2->3"), r.edges());
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < 500; i++) {
            Nb201Cell target = space.sample(random);
            double[][][] logits = new double[1][6][5];
            for (int e = 0; e < 6; e++) {
                for (int o = 0; o < 5; o++) {
                    logits[0][e][o] = random.nextDouble(-1, 1);
                }
                logits[0][e][space.opNames().indexOf(target.op(e))] = 2;
            }
            assertEquals(target, space.discretize(logits));
        }
        assertThrows(IllegalArgumentException.class, () -> space.discretize(new double[1][6][4]));
        double[][][] nan = new double[1][6][5];
        nan[0][3][1] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> space.discretize(nan));
        assertTrue(e.getMessage().contains("edge 0->3"), e.getMessage());
    }

    @Test
    void jsonRoundTripsEveryForm() {
        SplittableRandom random = new SplittableRandom(37);
        for (int i = 0; i < 500; i++) {
            Nb201Cell cell = space.sample(random);
            String json = space.toJson(cell);
            assertTrue(json.contains("\"version\": 2"), json);
            assertEquals(cell, space.fromJson(json));
        }
        Nb201Cell edgesOnly = space.fromJson("""
                {"version": 1, "space": "nas-bench-201", "edges": [
                  {"from": 0, "to": 1, "op": "nor_conv_3x3"}, {"from": 0, "to": 2, "op": "none"},
                  {"from": 1, "to": 2, "op": "none"}, {"from": 0, "to": 3, "op": "skip_connect"},
                  {"from": 2, "to": 3, "op": "none"}, {"from": 1, "to": 3, "op": "avg_pool_3x3"}]}""");
        assertEquals("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|", edgesOnly.key());
    }

    @Test
    void badJsonNamesTheField() {
        String arch = "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|";
        assertWhere("$.arch", "{\"version\": 1, \"space\": \"nas-bench-201\", \"arch\": \"|conv~0|\"}", "token");
        assertWhere("$.space", "{\"version\": 1, \"space\": \"darts\", \"arch\": \"" + arch + "\"}", "nas-bench-201");
        assertWhere("$.version", "{\"version\": 9, \"space\": \"nas-bench-201\", \"arch\": \"" + arch + "\"}", "newer");
        assertWhere("$.edges", "{\"version\": 1, \"space\": \"nas-bench-201\", \"edges\": []}", "missing edge 0->1");
        assertWhere("$.edges[0]", "{\"version\": 1, \"space\": \"nas-bench-201\", \"edges\": "
                + "[{\"from\": 2, \"to\": 1, \"op\": \"none\"}]}", "no edge 2->1");
        assertWhere("$.edges[0].op", "{\"version\": 1, \"space\": \"nas-bench-201\", \"edges\": "
                + "[{\"from\": 0, \"to\": 1, \"op\": \"conv\"}]}", "unknown operation 'conv'");
        assertWhere("$", "{\"version\": 1, \"space\": \"nas-bench-201\"}", "needs \"arch\"");
        assertWhere("$.archs", "{\"version\": 1, \"space\": \"nas-bench-201\", \"archs\": \"x\"}", "unknown field");
        String edges = space.toJson(space.parse(arch)).replace("\"arch\": \"" + arch + "\"",
                "\"arch\": \"" + arch.replace("avg_pool_3x3~1", "nor_conv_1x1~1") + "\"");
        assertWhere("$.edges", edges, "but \"arch\" is");
    }

    private void assertWhere(String where, String json, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> space.fromJson(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
