package org.cellforge.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cellforge.space.CellExpression;
import org.cellforge.space.Encoding;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NaswotTableTest {

    private static final Nb201Space SPACE = Nb201Space.standard();

    /** The network the generator scores, as the table's header states (checked below). */
    private static final Nb201Macro MACRO = new Nb201Macro(16, 1, 1, 10);

    private static final int SIDE = 28;

    /** Every arch string of the space in encoding order: gene vectors ascending lexicographically. */
    private static List<Nb201Cell> all;

    private static NaswotTable table;

    @BeforeAll
    static void enumerate() {
        Encoding<Nb201Cell> encoding = SPACE.encoding();
        all = new ArrayList<>(15_625);
        for (int n = 0; n < 15_625; n++) {
            int[] genes = new int[Nb201Cell.EDGES];
            // The last edge varies fastest, so that ascending n is ascending lexicographic order.
            for (int e = Nb201Cell.EDGES - 1, rest = n; e >= 0; e--, rest /= 5) {
                genes[e] = rest % 5;
            }
            all.add(encoding.decode(genes));
        }
        table = NaswotTable.load();
    }

    private static Map<String, Nb201Cell> firstOfEachClass() {
        Map<String, Nb201Cell> first = new LinkedHashMap<>();
        for (Nb201Cell cell : all) {
            first.putIfAbsent(SPACE.canonical(cell).hash(), cell);
        }
        return first;
    }

    @Test
    void everyFunctionOfTheSpaceHasExactlyOneRow() {
        Map<String, Nb201Cell> classes = firstOfEachClass();
        assertEquals(4_660, classes.size(), "the space's documented number of functions");
        assertEquals(classes.size(), table.size());
        assertEquals(classes.keySet(), table.entries().stream().map(NaswotTable.Entry::hash)
                .collect(Collectors.toSet()));
        for (Nb201Cell cell : all) {
            // Every string finds its class's row.
            assertEquals(SPACE.canonical(cell).hash(), table.entry(cell).hash(), cell.key());
        }
    }

    @Test
    void representativesAreTheFirstStringOfTheirClassInEncodingOrder() {
        Map<String, Nb201Cell> first = firstOfEachClass();
        List<NaswotTable.Entry> entries = table.entries();
        for (NaswotTable.Entry e : entries) {
            assertEquals(e.hash(), SPACE.canonical(e.representative()).hash(), e.representative().key());
            assertEquals(first.get(e.hash()), e.representative(), "class " + e.hash());
        }
        for (int i = 1; i < entries.size(); i++) {
            assertTrue(Arrays.compare(SPACE.encoding().encode(entries.get(i - 1).representative()),
                    SPACE.encoding().encode(entries.get(i).representative())) < 0, "rows in encoding order at " + i);
        }
    }

    @Test
    void costsAreThoseOfTheMacroTheHeaderNames() {
        assertTrue(table.header().stream().anyMatch(line -> line.contains(
                "Nb201Macro(channels=16, cellsPerStage=1, inputChannels=1, classes=10)")), "header names the macro");
        long most = 0;
        for (NaswotTable.Entry e : table.entries()) {
            Nb201Cell cell = e.representative();
            assertEquals(new Cost(MACRO.parameters(cell), MACRO.flops(OpRegistry.builtIn(), cell, SIDE, SIDE)),
                    e.cost(), cell.key());
            most = Math.max(most, MACRO.parameters(cell));
        }
        assertEquals(most, table.maxParameters());
        // Only the string of six 3x3 convolutions computes its function, and nothing has more weights.
        Nb201Cell convs = SPACE.parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        assertEquals(MACRO.parameters(convs), table.maxParameters());
        assertEquals(table.maxParameters(), table.cost(convs).parameters());
    }

    @Test
    void exactlyTheClassesThatIgnoreTheirInputHaveNoFiniteScore() {
        int degenerate = 0;
        for (NaswotTable.Entry e : table.entries()) {
            boolean zero = SPACE.canonical(e.representative()).expression().equals(CellExpression.ZERO.toString());
            assertEquals(zero, e.score() == Double.NEGATIVE_INFINITY, e.representative().key());
            degenerate += zero ? 1 : 0;
        }
        assertTrue(degenerate > 0, "the all-none cell is in the space");
        String count = "# score -Infinity: " + degenerate + " ";
        assertTrue(table.header().stream().anyMatch(line -> line.startsWith(count)),
                "header says how many rows are degenerate");
        Nb201Cell empty = SPACE.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        // A convolution whose output no path carries computes the same (zero) function.
        Nb201Cell deadConv = SPACE.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        assertEquals(Double.NEGATIVE_INFINITY, table.score(empty));
        assertEquals(Double.NEGATIVE_INFINITY, table.score(deadConv));
        assertEquals(0, table.accuracyLike(deadConv));
        assertTrue(table.rank(empty) >= table.size() - degenerate, "degenerate classes rank last");
    }

    @Test
    void accuracyLikeMapsFiniteScoresOntoTheUnitIntervalKeepingTheirOrder() {
        List<NaswotTable.Entry> entries = table.entries();
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (NaswotTable.Entry e : entries) {
            if (Double.isFinite(e.score())) {
                lowest = Math.min(lowest, e.score());
                highest = Math.max(highest, e.score());
            }
        }
        assertEquals(lowest, table.minFiniteScore());
        assertEquals(highest, table.maxFiniteScore());
        for (NaswotTable.Entry a : entries) {
            double x = table.accuracyLike(a.representative());
            assertTrue(x >= 0 && x <= 1, a.representative().key() + " maps to " + x);
            if (a.score() == highest) {
                assertEquals(1, x);
            }
            if (a.score() == lowest) {
                assertEquals(0, x);
            }
        }
        for (int i = 1; i < entries.size(); i++) {
            NaswotTable.Entry a = entries.get(i - 1);
            NaswotTable.Entry b = entries.get(i);
            if (Double.isFinite(a.score()) && Double.isFinite(b.score())) {
                assertEquals(Double.compare(a.score(), b.score()),
                        Double.compare(table.accuracyLike(a.representative()), table.accuracyLike(b.representative())),
                        "order of " + a.representative().key() + " and " + b.representative().key());
            }
        }
    }

    @Test
    void topOnePercentIsTheCeilingOfOnePercentOfTheClassesAndOutscoresTheRest() {
        int expected = (int) Math.ceil(table.size() / 100.0);
        assertEquals(expected, table.topCount(1));
        List<NaswotTable.Entry> top = new ArrayList<>();
        double worstInside = Double.POSITIVE_INFINITY;
        double bestOutside = Double.NEGATIVE_INFINITY;
        for (NaswotTable.Entry e : table.entries()) {
            if (table.inTop(e.representative(), 1)) {
                top.add(e);
                worstInside = Math.min(worstInside, e.score());
            } else {
                bestOutside = Math.max(bestOutside, e.score());
            }
        }
        assertEquals(expected, top.size());
        assertTrue(worstInside >= bestOutside, worstInside + " inside the top 1%, " + bestOutside + " outside");
        // Any positive share holds at least the best class; all of it holds every class.
        assertEquals(1, table.topCount(1e-6));
        assertEquals(table.size(), table.topCount(100));
        assertTrue(top.stream().anyMatch(e -> table.accuracyLike(e.representative()) == 1));
        for (NaswotTable.Entry e : table.entries()) {
            assertTrue(table.inTop(e.representative(), 100));
        }
        assertThrows(IllegalArgumentException.class, () -> table.topCount(0));
        assertThrows(IllegalArgumentException.class, () -> table.topCount(100.5));
    }

    @Test
    void stringsOfOneFunctionShareScoreAndCost() {
        // Both output conv(x): through node 1 by a skip, or straight into node 2.
        Nb201Cell a = SPACE.parse("|skip_connect~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|");
        Nb201Cell b = SPACE.parse("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|skip_connect~2|");
        assertEquals(SPACE.canonical(a).hash(), SPACE.canonical(b).hash());
        assertEquals(table.score(a), table.score(b));
        assertEquals(table.cost(a), table.cost(b));
        assertEquals(table.rank(a), table.rank(b));
    }

    /** A row for {@code arch} with its own hash. */
    private static String line(String arch, String score) {
        return SPACE.canonical(SPACE.parse(arch)).hash() + "\t" + arch + "\t" + score + "\t1\t1";
    }

    @Test
    void malformedTablesAreRejectedNamingTheLine() {
        String row = line("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "-Infinity");
        String other = line("|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|", "1.5");
        String another = line("|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|", "2.5");
        NaswotTable small = NaswotTable.parse(List.of("# header", row, other, another));
        assertEquals(3, small.size());
        assertEquals(List.of("# header"), small.header());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> NaswotTable.parse(List.of("# header", row, other, row)));
        assertTrue(twice.getMessage().contains("line 4") && twice.getMessage().contains("twice"), twice.getMessage());
        String alien = "0000000000000000" + other.substring(other.indexOf('\t'));
        IllegalArgumentException wrongHash = assertThrows(IllegalArgumentException.class,
                () -> NaswotTable.parse(List.of(row, alien)));
        assertTrue(wrongHash.getMessage().contains("line 2"), wrongHash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NaswotTable.parse(List.of(row + "\textra")));
        assertThrows(IllegalArgumentException.class, () -> NaswotTable.parse(List.of(other.replace("1.5", "NaN"))));
    }
}
