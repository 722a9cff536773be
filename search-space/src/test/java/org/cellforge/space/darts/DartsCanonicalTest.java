package org.cellforge.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsGenotype.Edge;
import org.junit.jupiter.api.Test;

/**
 * Canonical forms of DARTS genotypes, checked against what the cells compute with random stand-ins for
 * the operations: equal keys must mean equal outputs (as multisets of concatenated nodes, since the
 * concatenation order only permutes channels), different keys different outputs.
 */
class DartsCanonicalTest {

    private static final DartsSpace SPACE = DartsSpace.standard();
    private static final int DIM = 5;

    @Test
    void theOrderOfANodesTwoPairsDoesNotMatter() {
        SplittableRandom random = new SplittableRandom(71);
        for (DartsGenotype g : DartsSpaceTest.samples(SPACE, 1_000, 73)) {
            CellKind kind = random.nextBoolean() ? CellKind.NORMAL : CellKind.REDUCE;
            int n = random.nextInt(SPACE.steps());
            List<Edge> edges = new ArrayList<>(g.edges(kind));
            Edge first = edges.get(2 * n);
            edges.set(2 * n, edges.get(2 * n + 1));
            edges.set(2 * n + 1, first);
            DartsGenotype swapped = g.with(kind, edges);
            assertNotEquals(g.key(), swapped.key());
            assertEquals(SPACE.canonical(g), SPACE.canonical(swapped));
        }
    }

    @Test
    void relabellingIndependentNodesDoesNotMatter() {
        int checked = 0;
        for (DartsGenotype g : DartsSpaceTest.samples(SPACE, 3_000, 79)) {
            List<Edge> normal = g.normal();
            // Nodes 2 and 3 can trade places when node 3 does not read node 2.
            if (normal.get(2).input() == 2 || normal.get(3).input() == 2) {
                continue;
            }
            List<Edge> relabelled = new ArrayList<>();
            relabelled.addAll(normal.subList(2, 4));
            relabelled.addAll(normal.subList(0, 2));
            for (Edge e : normal.subList(4, normal.size())) {
                int input = e.input() == 2 ? 3 : e.input() == 3 ? 2 : e.input();
                relabelled.add(new Edge(e.op(), input));
            }
            DartsGenotype other = g.with(CellKind.NORMAL, relabelled);
            assertEquals(SPACE.canonical(g), SPACE.canonical(other), g.key());
            assertEquals(0.0, difference(g, other, new Ops(81)), 1e-12, g.key());
            checked++;
        }
        assertTrue(checked > 500, "relabelled " + checked);
    }

    @Test
    void keysAgreeWithComputedFunctionsOnNeighboursAndStrangers() {
        SplittableRandom random = new SplittableRandom(83);
        Ops ops = new Ops(89);
        int equalKeys = 0;
        int differentKeys = 0;
        List<DartsGenotype> samples = DartsSpaceTest.samples(SPACE, 1_500, 97);
        for (int i = 0; i < samples.size(); i++) {
            DartsGenotype a = samples.get(i);
            List<DartsGenotype> others = List.of(SPACE.mutate(a, random), samples.get((i + 1) % samples.size()),
                    relabelPairs(a, random));
            for (DartsGenotype b : others) {
                boolean sameKey = SPACE.canonical(a).equals(SPACE.canonical(b));
                double diff = difference(a, b, ops);
                if (sameKey) {
                    equalKeys++;
                    assertTrue(diff < 1e-9, "same key, different function: " + a.key() + " / " + b.key());
                } else {
                    differentKeys++;
                    assertTrue(diff > 1e-6, "different keys, same function: " + a.key() + " / " + b.key());
                }
            }
        }
        assertTrue(equalKeys >= 1_500 && differentKeys >= 2_900, equalKeys + " equal, " + differentKeys + " different");
    }

    @Test
    void skipConnectIsAnIdentityOnlyWhereTheShapeIsKept() {
        DartsGenotype g = SPACE.parse(DartsSpaceTest.DARTS_V2);
        String form = SPACE.canonical(g).expression();
        assertTrue(form.startsWith("normal=["), form);
        // In the reduction cell, skip_connect on node 2 keeps the shape and vanishes into node 2's terms;
        // on an input edge it would be a factorized reduction (identity/2).
        assertTrue(form.contains("max_pool_3x3/2(c_{k-2})"), form);
        assertTrue(!form.contains("identity("), form);
        DartsGenotype stride2Skip = SPACE.parse(DartsSpaceTest.DARTS_V2.replace(
                "reduce=[('max_pool_3x3', 0)", "reduce=[('skip_connect', 0)"));
        assertTrue(SPACE.canonical(stride2Skip).expression().contains("identity/2(c_{k-2})"));
    }

    private static DartsGenotype relabelPairs(DartsGenotype g, SplittableRandom random) {
        DartsGenotype out = g;
        for (CellKind kind : CellKind.values()) {
            List<Edge> edges = new ArrayList<>(out.edges(kind));
            for (int n = 0; n < SPACE.steps(); n++) {
                if (random.nextBoolean()) {
                    Edge first = edges.get(2 * n);
                    edges.set(2 * n, edges.get(2 * n + 1));
                    edges.set(2 * n + 1, first);
                }
            }
            out = out.with(kind, edges);
        }
        return out;
    }

    /** Largest difference between the two genotypes' sorted cell outputs on the same inputs. */
    private static double difference(DartsGenotype a, DartsGenotype b, Ops ops) {
        double max = 0;
        for (CellKind kind : CellKind.values()) {
            List<double[]> x = evaluate(a, kind, ops);
            List<double[]> y = evaluate(b, kind, ops);
            if (x.size() != y.size()) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < x.size(); i++) {
                for (int d = 0; d < DIM; d++) {
                    max = Math.max(max, Math.abs(x.get(i)[d] - y.get(i)[d]));
                }
            }
        }
        return max;
    }

    private static List<double[]> evaluate(DartsGenotype g, CellKind kind, Ops ops) {
        double[][] node = new double[SPACE.steps() + 2][];
        node[0] = ops.input0;
        node[1] = ops.input1;
        List<Edge> edges = g.edges(kind);
        for (int n = 0; n < SPACE.steps(); n++) {
            node[n + 2] = new double[DIM];
            for (Edge e : edges.subList(2 * n, 2 * n + 2)) {
                int stride = kind == CellKind.REDUCE && e.input() < 2 ? 2 : 1;
                double[] term = ops.apply(e.op(), stride, node[e.input()]);
                for (int d = 0; d < DIM; d++) {
                    node[n + 2][d] += term[d];
                }
            }
        }
        List<double[]> out = new ArrayList<>();
        for (int n : g.concat(kind)) {
            out.add(node[n]);
        }
        out.sort(Comparator.comparingDouble((double[] v) -> v[0]));
        return out;
    }

    /**
     * Stand-ins with the operations' algebraic properties only: skip_connect is the identity at stride
     * 1 and a generic nonlinear map at stride 2 (factorized reduction), average pooling a generic linear
     * map per stride, everything else a generic nonlinear map per (op, stride) with f(0) = 0.
     */
    private static final class Ops {
        final SplittableRandom random;
        final Map<String, double[][]> maps = new HashMap<>();
        final double[] input0;
        final double[] input1;

        Ops(long seed) {
            random = new SplittableRandom(seed);
            input0 = vector();
            input1 = vector();
        }

        double[] vector() {
            double[] v = new double[DIM];
            Arrays.setAll(v, i -> random.nextDouble(-1, 1));
            return v;
        }

        double[] apply(String op, int stride, double[] x) {
            if (op.equals("skip_connect") && stride == 1) {
                return x.clone();
            }
            double[][] m = maps.computeIfAbsent(op + "/" + stride, k -> {
                double[][] w = new double[DIM][];
                Arrays.setAll(w, i -> vector());
                return w;
            });
            boolean linear = op.equals("avg_pool_3x3");
            double[] y = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                double s = 0;
                for (int j = 0; j < DIM; j++) {
                    s += m[i][j] * x[j];
                }
                y[i] = linear ? s : Math.tanh(2 * s);
            }
            return y;
        }
    }
}
