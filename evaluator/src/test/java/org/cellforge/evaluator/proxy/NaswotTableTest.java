package org.cellforge.evaluator.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NaswotTableTest {

    private static final Nb201Space SPACE = Nb201Space.standard();

    @Test
    void oneRepresentativePerFunctionEachTheSmallestGeneVectorOfItsClass() {
        List<Nb201Cell> reps = NaswotTable.representatives(SPACE);
        Set<String> hashes = new HashSet<>();
        for (Nb201Cell cell : reps) {
            assertTrue(hashes.add(SPACE.canonical(cell).hash()), "two representatives of one class: " + cell.key());
        }
        assertEquals(4_660, reps.size(), "the space's number of functions");
        assertEquals(SPACE.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), reps.get(0));
        for (int i = 1; i < reps.size(); i++) {
            assertTrue(Arrays.compare(SPACE.encoding().encode(reps.get(i - 1)), SPACE.encoding().encode(reps.get(i))) < 0,
                    "encoding order at " + i);
        }
        // Any string of a class is at least its representative: a sample of strings, checked directly.
        SplittableRandom random = new SplittableRandom(5);
        Map<String, Nb201Cell> byHash = new HashMap<>();
        reps.forEach(r -> byHash.put(SPACE.canonical(r).hash(), r));
        for (int k = 0; k < 2_000; k++) {
            Nb201Cell cell = SPACE.sample(random);
            Nb201Cell rep = byHash.get(SPACE.canonical(cell).hash());
            assertTrue(Arrays.compare(SPACE.encoding().encode(rep), SPACE.encoding().encode(cell)) <= 0, cell.key());
        }
    }

    @Test
    void degenerateCellsAreThoseWhoseEveryPathCrossesNone() {
        assertTrue(NaswotTable.degenerate(SPACE, SPACE.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")));
        assertTrue(NaswotTable.degenerate(SPACE,
                SPACE.parse("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|none~2|")));
        assertFalse(NaswotTable.degenerate(SPACE,
                SPACE.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|avg_pool_3x3~1|none~2|")));
    }

    @Test
    void rowsScoreCountAndMarkDegenerateCells() {
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        INDArray batch = Nd4j.randn(new SplittableRandom(3).nextLong(), new long[] {16, 12, 12, 1});
        Nb201Cell cell = SPACE.parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|skip_connect~2|");
        NaswotTable.Row row = NaswotTable.row(SPACE, cell, macro, 7, batch);
        assertEquals(SPACE.canonical(cell).hash(), row.hash());
        assertEquals(Naswot.score(Nb201Network.create(cell, macro, 7), batch), row.score());
        assertEquals(macro.parameters(cell), row.parameters());
        assertEquals(macro.flops(OpRegistry.builtIn(), cell, 12, 12), row.flops());
        assertEquals(String.join("\t", row.hash(), cell.key(), Double.toString(row.score()),
                Long.toString(row.parameters()), Long.toString(row.flops())), row.tsv());

        NaswotTable.Row empty = NaswotTable.row(SPACE, SPACE.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
                macro, 7, batch);
        assertEquals(Double.NEGATIVE_INFINITY, empty.score());
        assertTrue(empty.tsv().contains("\t-Infinity\t"), empty.tsv());
        assertEquals(Double.NEGATIVE_INFINITY, Double.parseDouble("-Infinity"), "the text form reads back");
    }

    @Test
    void aBatchOfRepeatedImagesCannotScoreALiveCell() {
        INDArray one = Nd4j.randn(new SplittableRandom(9).nextLong(), new long[] {1, 12, 12, 1});
        INDArray twice = Nd4j.concat(0, one, one);
        Nb201Cell live = SPACE.parse("|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_3x3~2|");
        assertFalse(NaswotTable.degenerate(SPACE, live));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NaswotTable.row(SPACE, live, new Nb201Macro(4, 1, 1, 10), 1, twice));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void headerStatesSettingsCountsAndTheCommand() {
        List<String> header = NaswotTable.header(4_660, 1);
        assertTrue(header.stream().allMatch(line -> line.startsWith("#")));
        assertTrue(header.stream().anyMatch(line -> line.contains("4660 rows")));
        assertTrue(header.stream().anyMatch(line -> line.startsWith("# score -Infinity: 1 ")));
        assertTrue(header.stream().anyMatch(line -> line.contains("first " + NaswotTable.BATCH + " Fashion-MNIST")));
        assertTrue(header.stream().anyMatch(line -> line.contains("seed " + NaswotTable.SEED)));
        assertTrue(header.stream().anyMatch(line -> line.endsWith(NaswotTable.COMMAND)));
        assertTrue(NaswotTable.COMMAND.endsWith(NaswotTable.class.getName() + " " + NaswotTable.TABLE));
        assertEquals("# " + String.join("\t", NaswotTable.COLUMNS), header.get(header.size() - 1));
    }
}
