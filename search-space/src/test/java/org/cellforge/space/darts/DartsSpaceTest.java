package org.cellforge.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.cellforge.space.ArchitectureFormatException;
import org.cellforge.space.ChiSquare;
import org.cellforge.space.Encoding;
import org.cellforge.space.Relaxation;
import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsGenotype.Edge;
import org.cellforge.space.json.JsonFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DartsSpaceTest {

    /** DARTS_V2 as printed in the DARTS repository's genotypes.py. */
    static final String DARTS_V2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
            + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)],"
            + " normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)],"
            + " reduce_concat=[2, 3, 4, 5])";

    private final DartsSpace space = DartsSpace.standard();
    private final Encoding<DartsGenotype> encoding = space.encoding();

    @Test
    void printsExactlyWhatItParses() {
        DartsGenotype g = space.parse(DARTS_V2);
        assertEquals(DARTS_V2, g.key());
        assertEquals(new Edge("dil_conv_3x3", 2), g.normal().get(7));
        assertEquals(List.of(2, 3, 4, 5), g.reduceConcat());
        SplittableRandom random = new SplittableRandom(41);
        for (int i = 0; i < 2_000; i++) {
            DartsGenotype s = space.sample(random);
            assertEquals(s, space.parse(s.key()));
            assertEquals(s, space.fromJson(space.toJson(s)));
        }
    }

    @Test
    void acceptsTheVariantsDartsCodePrints() {
        String searched = DARTS_V2.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=range(2, 6)")
                .replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=range(2,6)").replace('\'', '"')
                .replace(", ", ",\n   ");
        assertEquals(space.parse(DARTS_V2), space.parse(searched));
        String reordered = "(reduce_concat=[2, 3, 4, 5], reduce=" + DARTS_V2.substring(DARTS_V2.indexOf("[('max"),
                DARTS_V2.indexOf(", reduce_concat")) + ", normal_concat=[2,3,4,5], normal="
                + DARTS_V2.substring(DARTS_V2.indexOf("[('sep"), DARTS_V2.indexOf(", normal_concat")) + ",)";
        assertEquals(space.parse(DARTS_V2), space.parse(reordered));
    }

    @Test
    void genotypesOutsideTheSpaceParseAsGenotypesButNotAsMembers() {
        // AmoebaNet from the DARTS repository: five nodes, one input used twice, a partial concat.
        String amoeba = "Genotype(normal=[('avg_pool_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_3x3', 0),"
                + " ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('avg_pool_3x3', 3), ('sep_conv_3x3', 1),"
                + " ('skip_connect', 1), ('skip_connect', 0), ('avg_pool_3x3', 1)], normal_concat=[4, 5, 6],"
                + " reduce=[('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('max_pool_3x3', 0), ('sep_conv_7x7', 2),"
                + " ('sep_conv_7x7', 0), ('avg_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1),"
                + " ('conv_7x1_1x7', 0), ('sep_conv_3x3', 5)], reduce_concat=[3, 4, 6])";
        DartsGenotype g = DartsGenotype.parse(amoeba);
        assertEquals(5, g.steps());
        assertEquals(amoeba, g.key());
        assertFalse(space.contains(g));
        ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class, () -> space.parse(amoeba));
        assertTrue(e.getMessage().contains("4 intermediate nodes"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Genotype(normal=[('sep_conv_3x3', 0, 1)])|,|a pair of normal has exactly two elements",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1)], reduce_concat=[2], extra=[])|extra|unknown field",
        "Genotype(normal=[(sep_conv_3x3, 0)]|sep_conv_3x3|quoted name",
        "Genotype(normal=[('sep_conv_3x3', x)]|x|normal input must be a non-negative integer",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 2)], normal_concat=[2], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1)], reduce_concat=[2])|[('sep_conv_3x3', 0), ('sep_conv_3x3', 2)]"
                + "|pair 1 (sep_conv_3x3, 2) belongs to node 2 and must read a node in 0..1",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2, 2], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1)], reduce_concat=[2])|[2, 2]|node 2 is listed twice",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1)])|)|missing field reduce_concat",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=range(3, 3)|range(3, 3)|range must not be empty",
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal=[]|normal|field given twice",
        "Genotype[normal=[]]|[|starts with Genotype(|",
    })
    void malformedTextNamesTokenPositionAndReason(String text, String token, String reason) {
        ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
        assertEquals(token, e.token(), e.getMessage());
        assertTrue(text.startsWith(token, e.position()), "token at " + e.position() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void membershipErrorsSayWhatToFix() {
        assertThrowsWith(DARTS_V2.replace("('dil_conv_3x3', 2)", "('none', 2)"), "is a zero op");
        assertThrowsWith(DARTS_V2.replace("('dil_conv_3x3', 2)", "('conv_9x9', 2)"), "is not in this space");
        assertThrowsWith(DARTS_V2.replace("('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1)",
                "('sep_conv_3x3', 0), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1)"), "normal node 2 reads node 0 twice");
        assertThrowsWith(DARTS_V2.replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=[2, 3, 5]"),
                "reduce_concat must be [2, 3, 4, 5]");
    }

    private void assertThrowsWith(String text, String reason) {
        ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void sizeCountsOrderedTextFormsAndMatchesThePublishedFigureUnordered() {
        long perCell = 1;
        for (int p = 0; p < encoding.length() / 2; p++) {
            perCell *= encoding.cardinality(p);
        }
        assertEquals(BigInteger.valueOf(perCell).pow(2), space.size(), "every vector is one text form");
        double unordered = space.size().shiftRight(2 * space.steps()).doubleValue();
        assertTrue(unordered > 1.0e18 && unordered < 1.1e18, "about 10^18 as DARTS reports, got " + unordered);
    }

    @Test
    void encodingRoundTripsAndEveryVectorDecodes() {
        assertEquals(24, encoding.length());
        SplittableRandom random = new SplittableRandom(43);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            int[] genes = new int[encoding.length()];
            for (int p = 0; p < genes.length; p++) {
                genes[p] = random.nextInt(encoding.cardinality(p));
            }
            DartsGenotype g = encoding.decode(genes);
            assertTrue(space.contains(g), g.key());
            assertArrayEquals(genes, encoding.encode(g));
            keys.add(g.key());
        }
        assertEquals(5_000, keys.size(), "distinct vectors decode to distinct genotypes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoding.decode(withValue(new int[24], 3, 6)));
        assertTrue(e.getMessage().contains("position 3 (normal node 3 inputs)"), e.getMessage());
    }

    private static int[] withValue(int[] genes, int position, int value) {
        genes[position] = value;
        return genes;
    }

    @Test
    void samplingIsUniformPerPosition() {
        SplittableRandom random = new SplittableRandom(47);
        int n = 60_000;
        long[][] counts = new long[encoding.length()][];
        for (int p = 0; p < counts.length; p++) {
            counts[p] = new long[encoding.cardinality(p)];
        }
        for (int i = 0; i < n; i++) {
            int[] genes = encoding.encode(space.sample(random));
            for (int p = 0; p < genes.length; p++) {
                counts[p][genes[p]]++;
            }
        }
        for (int p = 0; p < counts.length; p++) {
            double chi = ChiSquare.uniform(counts[p]);
            assertTrue(chi < ChiSquare.bound(counts[p].length), encoding.describe(p) + ": chi-square " + chi);
        }
    }

    @Test
    void mutationChangesOneOpOrOneInputAndStaysInTheSpace() {
        SplittableRandom random = new SplittableRandom(53);
        int inputChanges = 0;
        for (int i = 0; i < 5_000; i++) {
            DartsGenotype parent = space.sample(random);
            DartsGenotype child = space.mutate(parent, random);
            assertTrue(space.contains(child), child.key());
            assertNotEquals(parent, child);
            int changed = 0;
            for (CellKind kind : CellKind.values()) {
                for (int s = 0; s < parent.edges(kind).size(); s++) {
                    Edge a = parent.edges(kind).get(s);
                    Edge b = child.edges(kind).get(s);
                    if (!a.equals(b)) {
                        changed++;
                        assertTrue(a.op().equals(b.op()) != (a.input() == b.input()), "op or input, not both");
                        inputChanges += a.input() != b.input() ? 1 : 0;
                    }
                }
            }
            assertEquals(1, changed);
        }
        assertTrue(inputChanges > 1_500 && inputChanges < 2_500, "input changes " + inputChanges);
    }

    @Test
    void crossoverTakesWholeNodesFromEitherParent() {
        SplittableRandom random = new SplittableRandom(59);
        for (int i = 0; i < 2_000; i++) {
            DartsGenotype a = space.sample(random);
            DartsGenotype b = space.sample(random);
            DartsGenotype child = space.crossover(a, b, random);
            assertTrue(space.contains(child));
            for (CellKind kind : CellKind.values()) {
                for (int n = 0; n < space.steps(); n++) {
                    List<Edge> node = child.edges(kind).subList(2 * n, 2 * n + 2);
                    assertTrue(node.equals(a.edges(kind).subList(2 * n, 2 * n + 2))
                            || node.equals(b.edges(kind).subList(2 * n, 2 * n + 2)), "node " + (n + 2));
                }
            }
        }
    }

    @Test
    void discretizationKeepsTheTwoStrongestEdgesPerNodeIgnoringNone() {
        Relaxation r = space.relaxation();
        assertArrayEquals(new int[] {2, 14, 8}, r.shape());
        assertEquals("0->2", r.edges().get(0));
        assertEquals("4->5", r.edges().get(13));
        SplittableRandom random = new SplittableRandom(61);
        for (int i = 0; i < 500; i++) {
            DartsGenotype target = space.sample(random);
            double[][][] logits = new double[2][14][8];
            for (double[][] cell : logits) {
                for (double[] edge : cell) {
                    for (int o = 0; o < 8; o++) {
                        edge[o] = random.nextDouble(-1, 1);
                    }
                    edge[0] = 5; // none dominates every edge, and must still be ignored
                }
            }
            for (CellKind kind : CellKind.values()) {
                List<Edge> edges = target.edges(kind);
                int offset = 0;
                for (int n = 0; n < space.steps(); n++) {
                    for (int k = 0; k < 2; k++) {
                        Edge e = edges.get(2 * n + k);
                        // The first pair gets the stronger logit, so it comes first.
                        logits[kind.ordinal()][offset + e.input()][space.opNames().indexOf(e.op())] = 4 - k;
                    }
                    offset += n + 2;
                }
            }
            assertEquals(target, space.discretize(logits));
        }
    }

    @Test
    void badJsonNamesTheField() {
        String json = space.toJson(space.parse(DARTS_V2));
        assertWhere("$.normal[7].op", json.replaceFirst("\"dil_conv_3x3\"", "3"), "must be a string");
        assertWhere("$.normal", json.replaceFirst("\"dil_conv_3x3\"", "\"none\""), "zero op");
        assertWhere("$.reduce_concat", json.replace("\"reduce_concat\": [2, 3, 4, 5]", "\"reduce_concat\": [2, 3]"),
                "reduce_concat must be");
        assertWhere("$.normal_concat", json.replace("\"normal_concat\": [2, 3, 4, 5]", "\"normal_concat\": [1]"),
                "not an intermediate node");
        assertWhere("$.normal[0].input", json.replaceFirst("\"input\": 0", "\"input\": -1"), "at least 0");
        assertWhere("$.space", json.replace("\"darts\"", "\"nas-bench-201\""), "expected \"darts\"");
    }

    private void assertWhere(String where, String json, String reason) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> space.fromJson(json));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    static List<DartsGenotype> samples(DartsSpace space, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<DartsGenotype> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(space.sample(random));
        }
        return out;
    }
}
