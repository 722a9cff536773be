package org.cellforge.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Canonical forms of NAS-Bench-201 cells, checked against what the cells compute: every cell is
 * evaluated on a random input with random weights, and equal keys must mean equal outputs and
 * different keys different outputs, over the whole space.
 */
class Nb201CanonicalTest {

    private static final Nb201Space SPACE = Nb201Space.standard();
    private static final int DIM = 6;

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = ';', value = {
        // Edges into nodes 1 and 2 cannot reach the output when both 1->3 and 2->3 are none.
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|;"
                + "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|;dead edges",
        // Node 1 is fed only by none, so whatever reads it reads zero.
        "|none~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|;"
                + "|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|;zero-fed node",
        // With 1->2 absent, nodes 1 and 2 can be relabelled.
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|avg_pool_3x3~1|skip_connect~2|;"
                + "|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|avg_pool_3x3~2|;isomorphic node order",
        // A skip_connect chain is the identity.
        "|skip_connect~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|;"
                + "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|;skip chain",
        // Average pooling is linear: pool(x) + pool(conv(x)) = pool(x + conv(x)).
        "|nor_conv_3x3~0|+|none~0|none~1|+|avg_pool_3x3~0|avg_pool_3x3~1|none~2|;"
                + "|nor_conv_3x3~0|+|skip_connect~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|;linear pooling",
    })
    void knownEquivalentPairsShareAKey(String a, String b, String why) {
        assertEquals(SPACE.canonical(SPACE.parse(a)), SPACE.canonical(SPACE.parse(b)), why);
        assertEquals(SPACE.canonical(SPACE.parse(a)).hash(), SPACE.canonical(SPACE.parse(b)).hash(), why);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = ';', value = {
        "|skip_connect~0|+|skip_connect~0|none~1|+|none~0|skip_connect~1|skip_connect~2|;"
                + "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|;2x is not x",
        "|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|;"
                + "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|;different kernels",
        "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|;"
                + "|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|;conv(conv(x)) is not conv(x)",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|;"
                + "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|;two convolutions are not one",
    })
    void knownDifferentPairsDoNot(String a, String b, String why) {
        assertNotEquals(SPACE.canonical(SPACE.parse(a)), SPACE.canonical(SPACE.parse(b)), why);
        assertNotEquals(SPACE.canonical(SPACE.parse(a)).hash(), SPACE.canonical(SPACE.parse(b)).hash(), why);
    }

    @Test
    void swappingUnconnectedMiddleNodesNeverChangesTheKey() {
        int checked = 0;
        for (Nb201Cell cell : all()) {
            if (!cell.op(1, 2).equals("none")) {
                continue;
            }
            Nb201Cell swapped = Nb201Cell.of(cell.op(0, 2), cell.op(0, 1), "none", cell.op(0, 3), cell.op(2, 3),
                    cell.op(1, 3));
            assertEquals(SPACE.canonical(cell), SPACE.canonical(swapped), cell.key());
            checked++;
        }
        assertEquals(3_125, checked);
    }

    /**
     * Over all 15,625 cells, keys and computed functions partition the space the same way.
     *
     * <p>The NAS-Bench-201 authors report 6,466 unique topologies, from their rule (reproduced in
     * {@link #publishedRule}): none and skip_connect are special, node sums are sorted. Our rule merges
     * more, because these cells compute the same function too (counts measured with each step added):
     * <ul>
     * <li>6,466 → 6,285: a node whose inputs are all zero is zero; their rule only recognises a zero
     * node with a single input (node 1), so zeros from node 2 still propagate as terms.
     * <li>6,285 → 5,819: {@code x + 0 = x}; their rule keeps a zero term in a sum.
     * <li>5,819 → 4,930: sums are associative; their rule nests a skip-connected node's sum as one term,
     * so {@code (a+b)+c} differs from {@code a+(b+c)}.
     * <li>4,930 → 4,660: average pooling is linear, so {@code pool(a) + pool(b) = pool(a + b)}.
     * </ul>
     * Like theirs, our rule takes every operation to map zero to zero; a ReLU-conv-BN on a zero input
     * outputs its batch-norm shift instead, which both rules ignore.
     */
    @Test
    void keysPartitionTheSpaceExactlyAsTheComputedFunctionsDo() {
        Map<String, double[]> byKey = new HashMap<>();
        Set<String> published = new HashSet<>();
        Ops ops = new Ops(new SplittableRandom(11));
        double[] input = ops.randomVector();
        for (Nb201Cell cell : all()) {
            String key = SPACE.canonical(cell).expression();
            double[] out = evaluate(cell, ops, input);
            double[] seen = byKey.putIfAbsent(key, out);
            if (seen != null) {
                assertTrue(distance(seen, out) < 1e-9, "same key, different function: " + cell.key() + " " + key);
            }
            published.add(publishedRule(cell));
        }
        List<double[]> distinct = new ArrayList<>(byKey.values());
        double closest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < distinct.size(); i++) {
            for (int j = i + 1; j < distinct.size(); j++) {
                closest = Math.min(closest, distance(distinct.get(i), distinct.get(j)));
            }
        }
        assertTrue(closest > 1e-6, "two different keys compute the same function (distance " + closest + ")");
        assertEquals(6_466, published.size(), "the published rule, reimplemented, gives the published figure");
        assertEquals(4_660, byKey.size(), "distinct functions under our rule");
    }

    /** The hash is as discriminating as the expression over the whole space. */
    @Test
    void hashesDoNotCollide() {
        Map<String, String> expressionByHash = new HashMap<>();
        for (Nb201Cell cell : all()) {
            var form = SPACE.canonical(cell);
            String old = expressionByHash.putIfAbsent(form.hash(), form.expression());
            if (old != null) {
                assertEquals(old, form.expression(), "hash collision");
            }
        }
        assertEquals(4_660, expressionByHash.size());
    }

    /** NAS-Bench-201's own uniqueness rule (to_unique_str with consider_zero), written out in Java. */
    private static String publishedRule(Nb201Cell cell) {
        String[] node = new String[Nb201Cell.NODES];
        node[0] = "0";
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            List<String> terms = new ArrayList<>();
            for (int from = 0; from < to; from++) {
                String op = cell.op(from, to);
                if (op.equals("none") || node[from].equals("#")) {
                    terms.add("#");
                } else if (op.equals("skip_connect")) {
                    terms.add(node[from]);
                } else {
                    terms.add("(" + node[from] + ")@" + op);
                }
            }
            terms.sort(null);
            node[to] = String.join("+", terms);
        }
        return node[Nb201Cell.NODES - 1];
    }

    /**
     * Random stand-ins for the operations with their algebraic properties and nothing more: convolutions
     * are generic nonlinear maps with f(0) = 0, pooling a generic linear map.
     */
    private static final class Ops {
        final SplittableRandom random;
        final double[][] conv1;
        final double[][] conv3;
        final double[][] pool;

        Ops(SplittableRandom random) {
            this.random = random;
            conv1 = randomMatrix();
            conv3 = randomMatrix();
            pool = randomMatrix();
        }

        double[] randomVector() {
            double[] v = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                v[i] = random.nextDouble(-1, 1);
            }
            return v;
        }

        double[][] randomMatrix() {
            double[][] m = new double[DIM][];
            for (int i = 0; i < DIM; i++) {
                m[i] = randomVector();
            }
            return m;
        }

        double[] apply(String op, double[] x) {
            return switch (op) {
                case "none" -> new double[DIM];
                case "skip_connect" -> x.clone();
                case "avg_pool_3x3" -> multiply(pool, x, false);
                case "nor_conv_1x1" -> multiply(conv1, x, true);
                case "nor_conv_3x3" -> multiply(conv3, x, true);
                default -> throw new IllegalArgumentException(op);
            };
        }

        static double[] multiply(double[][] m, double[] x, boolean nonlinear) {
            double[] y = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                double s = 0;
                for (int j = 0; j < DIM; j++) {
                    s += m[i][j] * x[j];
                }
                y[i] = nonlinear ? Math.tanh(2 * s) : s;
            }
            return y;
        }
    }

    private static double[] evaluate(Nb201Cell cell, Ops ops, double[] input) {
        double[][] node = new double[Nb201Cell.NODES][];
        node[0] = input;
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            node[to] = new double[DIM];
            for (int from = 0; from < to; from++) {
                double[] term = ops.apply(cell.op(from, to), node[from]);
                for (int i = 0; i < DIM; i++) {
                    node[to][i] += term[i];
                }
            }
        }
        return node[Nb201Cell.NODES - 1];
    }

    private static double distance(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static List<Nb201Cell> all() {
        List<Nb201Cell> out = new ArrayList<>(15_625);
        int[] genes = new int[Nb201Cell.EDGES];
        var encoding = SPACE.encoding();
        for (int n = 0; n < 15_625; n++) {
            int rest = n;
            for (int e = 0; e < genes.length; e++) {
                genes[e] = rest % 5;
                rest /= 5;
            }
            out.add(encoding.decode(genes));
        }
        return out;
    }
}
