package org.cellforge.evaluator.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NaswotTest {

    @Test
    void kernelCountsTheUnitsOnWhichTwoImagesAgree() {
        // Image 0 activates units 0 and 1, image 1 only unit 1, image 2 none of the three.
        INDArray activation = Nd4j.create(new float[] {1, 2, -1, -1, 3, 0, 0, -2, -5}, new long[] {3, 3});
        INDArray kernel = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        Naswot.accumulate(kernel, activation);
        double[][] expected = {{3, 2, 1}, {2, 3, 2}, {1, 2, 3}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], kernel.getDouble(i, j), "K[" + i + "][" + j + "]");
            }
        }
        // det [[3,2,1],[2,3,2],[1,2,3]] = 8
        assertEquals(Math.log(8), Naswot.logAbsDet(expected), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, Naswot.logAbsDet(new double[][] {{1, 2}, {2, 4}}));
    }

    @Test
    void kernelOfAWideLayerEqualsCountingAgreementsOneByOne() {
        int n = 6;
        int units = 5_000;
        SplittableRandom random = new SplittableRandom(11);
        float[] values = new float[n * units];
        for (int i = 0; i < values.length; i++) {
            // Exact zeros are inactive units too.
            values[i] = random.nextInt(3) == 0 ? 0 : (float) random.nextGaussian();
        }
        INDArray kernel = Nd4j.zeros(DataType.DOUBLE, n, n);
        Naswot.accumulate(kernel, Nd4j.create(values, new long[] {n, 10, 500, 1}));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int agree = 0;
                for (int u = 0; u < units; u++) {
                    agree += (values[i * units + u] > 0) == (values[j * units + u] > 0) ? 1 : 0;
                }
                assertEquals(agree, kernel.getDouble(i, j), "K[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void scoreIgnoresBatchOrderAndLeavesTheNetworkAsItWas() {
        Network net = Nb201Network.create(Nb201Space.standard().parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"),
                new Nb201Macro(4, 1, 1, 10), 1);
        INDArray batch = Nd4j.randn(new SplittableRandom(4).nextLong(), new long[] {16, 12, 12, 1});
        INDArray before = net.logits(batch).dup();
        double score = Naswot.score(net, batch);
        assertTrue(Double.isFinite(score), "score " + score);
        int[] reversed = new int[16];
        for (int i = 0; i < 16; i++) {
            reversed[i] = 15 - i;
        }
        INDArray permuted = Nd4j.pullRows(batch.reshape(16, -1), 1, reversed).reshape(16, 12, 12, 1);
        assertEquals(score, Naswot.score(net, permuted), 1e-6 * Math.abs(score));
        assertEquals(before, net.logits(batch), "weights and BatchNorm statistics must be left alone");
    }

    @Test
    void aCellOfConvolutionsTellsImagesApartBetterThanAnEmptyCell() {
        Nb201Macro macro = new Nb201Macro(8, 1, 1, 10);
        INDArray batch = Nd4j.randn(new SplittableRandom(7).nextLong(), new long[] {32, 12, 12, 1});
        double convs = Naswot.score(Nb201Network.create(Nb201Space.standard().parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                macro, 3), batch);
        double empty = Naswot.score(Nb201Network.create(Nb201Space.standard().parse(
                "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), macro, 3), batch);
        assertTrue(convs > empty, "convolutions " + convs + " vs empty " + empty);
    }
}
