package org.cellforge.evaluator.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.FiniteDifference;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DartsSearchTest {

    @Test
    void alphaGradientsAreNonZeroAndMatchFiniteDifferences() {
        Parameters store = Parameters.of(DataType.DOUBLE, 2);
        Network net = Nb201Network.relaxed(Nb201Space.standard(), new Nb201Macro(2, 1, 1, 3), store);
        INDArray alpha = store.weights().get(Nb201Network.ALPHA);
        // Away from uniform, so that every op weight differs.
        alpha.assign(Nd4j.randn(new SplittableRandom(3).nextLong(), alpha.shape()).castTo(DataType.DOUBLE));
        INDArray x = Nd4j.randn(new SplittableRandom(5).nextLong(), new long[] {6, 8, 8, 1}).castTo(DataType.DOUBLE);
        int[] labels = {0, 1, 2, 0, 1, 2};
        net.backward(x, labels);
        INDArray grad = store.gradients().get(Nb201Network.ALPHA).dup();
        assertTrue(grad.norm2Number().doubleValue() > 0, "alpha must receive a gradient");
        for (long i = 0; i < alpha.length(); i += 7) {
            double numeric = FiniteDifference.derivative(net, x, labels, alpha, i);
            assertEquals(numeric, grad.getDouble(i), 1e-5 * Math.abs(numeric) + 1e-9, "alpha[" + i + "]");
        }
    }

    @Test
    void aShortSearchMovesAlphaAndDiscretizesToAMemberOfTheSpace() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 1_000, 1_000, 8);
        DartsSearch.Result result = DartsSearch.search(Nb201Space.standard(), new Nb201Macro(4, 1, 1, 10), split,
                TrainSettings.defaults(1, 4).withBatchSize(50), EpochListener.none());
        assertTrue(result.training().succeeded(), () -> result.training().failure().orElse(""));
        assertTrue(Nb201Space.standard().contains(result.genotype()));
        double spread = 0;
        for (double[] edge : result.alpha()) {
            for (double a : edge) {
                spread = Math.max(spread, Math.abs(a));
            }
        }
        assertNotEquals(0.0, spread, "alpha should have moved from its uniform start");
        assertEquals(Nb201Space.standard().discretize(new double[][][] {result.alpha()}), result.genotype());
    }
}
