package org.cellforge.evaluator.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Nb201SupernetTest {

    private static final Nb201Macro MACRO = new Nb201Macro(4, 1, 1, 10);
    private static final Nb201Cell CELL = Nb201Space.standard().parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");

    @Test
    void holdsOneWeightSetPerPositionEdgeAndOperation() {
        Nb201Supernet supernet = Nb201Supernet.of(Nb201Space.standard(), MACRO, 0);
        // The shared stem, reductions and head (a network of 'none' cells), plus per cell 6 edges x
        // (nor_conv_1x1 + nor_conv_3x3) convolutions with BatchNorm.
        long expected = MACRO.parameters(Nb201Space.standard().parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        for (int stage = 0; stage < 3; stage++) {
            long c = MACRO.width(stage);
            expected += 6 * (c * c + 2 * c) + 6 * (9 * c * c + 2 * c);
        }
        assertEquals(expected, supernet.parameterCount());
        assertEquals(MACRO.parameters(CELL), supernet.path(CELL).parameterCount());
    }

    @Test
    void aPathComputesWhatAStandAloneNetworkWithTheSameWeightsComputes() {
        Nb201Supernet supernet = Nb201Supernet.of(Nb201Space.standard(), MACRO, 0);
        Network path = supernet.path(CELL);
        Parameters own = Parameters.of(DataType.FLOAT, 99);
        Network alone = Nb201Network.create(OpRegistry.builtIn(), CELL, MACRO, own);
        own.copyFrom(supernet.store());
        INDArray x = Nd4j.randn(new SplittableRandom(1).nextLong(), new long[] {4, 12, 12, 1}).castTo(DataType.FLOAT);
        assertEquals(alone.logits(x), path.logits(x));
    }

    @Test
    void aSinglePathStepUpdatesThatPathOnly() {
        Nb201Supernet supernet = Nb201Supernet.of(Nb201Space.standard(), MACRO, 0);
        Network path = supernet.path(CELL);
        Map<String, INDArray> before = new HashMap<>();
        supernet.store().weights().forEach((k, v) -> before.put(k, v.dup()));
        INDArray x = Nd4j.randn(new SplittableRandom(2).nextLong(), new long[] {8, 12, 12, 1}).castTo(DataType.FLOAT);
        path.backward(x, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        Optimizer.of(TrainSettings.defaults(1, 0)).step(supernet.store().weights(),
                new HashMap<>(supernet.store().gradients()), 0.1);
        int moved = 0;
        for (Map.Entry<String, INDArray> e : supernet.store().weights().entrySet()) {
            // Node 2 of this cell feeds only a 'none' edge, so edges 0->2 and 1->2 get no gradient.
            boolean live = path.weights().containsKey(e.getKey()) && !e.getKey().contains("/edge02/")
                    && !e.getKey().contains("/edge12/");
            assertEquals(live, supernet.store().gradients().containsKey(e.getKey()), e.getKey());
            if (!live) {
                assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is off the path");
            } else if (e.getKey().contains("/cell0/") && e.getKey().endsWith("conv/weight")) {
                assertNotEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is on the path");
                moved++;
            }
        }
        assertEquals(2 * 3, moved, "edges 0->1 and 1->3 in each stage's cell");
    }

    @Test
    void refusesArchitecturesOutsideItsSpace() {
        Nb201Supernet small = Nb201Supernet.of(Nb201Space.of(List.of("none", "skip_connect", "nor_conv_3x3")), MACRO,
                0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.path(CELL));
        assertTrue(e.getMessage().contains("not in the supernet's space"), e.getMessage());
    }

    @Test
    void trainedSupernetScoresPathsWithRecalibratedStatisticsAboveChance() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 3_000, 1_000, 5);
        Nb201Supernet supernet = Nb201Supernet.of(Nb201Space.standard(), new Nb201Macro(8, 1, 1, 10), 3);
        List<INDArray> calibration = Trainer.calibrationBatches(split.train(), 64, 5);
        double untrained = supernet.score(CELL, calibration, split.validation());
        TrainingResult result = supernet.train(split, TrainSettings.defaults(2, 3).withBatchSize(64),
                EpochListener.none());
        assertTrue(result.succeeded(), () -> result.failure().orElse(""));
        double score = supernet.score(CELL, calibration, split.validation());
        assertTrue(score > 0.25 && score > untrained + 0.1, "supernet estimate " + score + " after training, "
                + untrained + " before: training should lift it well above 10% chance");
    }
}
