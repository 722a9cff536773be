package org.cellforge.evaluator.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.EpochBatches;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.nn.FiniteDifference;
import org.cellforge.evaluator.nn.MixedOp;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.SoftmaxCrossEntropy;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    /**
     * The second-order gradient against central differences of the unrolled objective
     * L_val(w - xi (grad_w L_train(w, a) + wd w), a) in double precision.
     */
    @Test
    void secondOrderGradientMatchesTheUnrolledObjective() {
        Parameters store = Parameters.of(DataType.DOUBLE, 2);
        Network net = Nb201Network.relaxed(Nb201Space.standard(), new Nb201Macro(2, 1, 1, 3), store);
        INDArray alpha = store.weights().get(Nb201Network.ALPHA);
        alpha.assign(Nd4j.randn(new SplittableRandom(3).nextLong(), alpha.shape()).castTo(DataType.DOUBLE));
        EpochBatches.Batch train = batch(5, new int[] {0, 1, 2, 0, 1, 2});
        EpochBatches.Batch validation = batch(6, new int[] {2, 1, 0, 2, 1, 0});
        double xi = 0.5;
        double wd = 1e-3;
        Map<String, INDArray> before = new HashMap<>();
        store.weights().forEach((k, v) -> before.put(k, v.dup()));
        // In double a small radius makes the difference quotient exact; DARTS's 0.01 suits float training.
        INDArray second = DartsSearch.secondOrderAlphaGradient(net, train, validation, xi, wd, 1e-5)
                .get(Nb201Network.ALPHA);
        store.weights().forEach((k, v) -> assertEquals(before.get(k), v, k + " must be restored"));
        net.backward(validation.images(), validation.labels());
        INDArray first = store.gradients().get(Nb201Network.ALPHA).dup();
        double differs = 0;
        for (long i = 0; i < alpha.length(); i += 5) {
            double original = alpha.getDouble(i);
            double h = 1e-5;
            alpha.putScalar(i, original + h);
            double up = unrolledValidationLoss(net, store, before, train, validation, xi, wd);
            alpha.putScalar(i, original - h);
            double down = unrolledValidationLoss(net, store, before, train, validation, xi, wd);
            alpha.putScalar(i, original);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, second.getDouble(i), 1e-4 * Math.abs(numeric) + 1e-7, "alpha[" + i + "]");
            differs = Math.max(differs, Math.abs(second.getDouble(i) - first.getDouble(i)));
        }
        assertTrue(differs > 1e-4, "the unrolled gradient should differ from the first-order one");
    }

    private static double unrolledValidationLoss(Network net, Parameters store, Map<String, INDArray> weights,
            EpochBatches.Batch train, EpochBatches.Batch validation, double xi, double wd) {
        weights.forEach((k, v) -> {
            if (!k.equals(Nb201Network.ALPHA)) {
                store.weights().get(k).assign(v);
            }
        });
        net.backward(train.images(), train.labels());
        Map<String, INDArray> g = new HashMap<>();
        store.gradients().forEach((k, v) -> g.put(k, v.dup()));
        weights.forEach((k, v) -> {
            if (!k.equals(Nb201Network.ALPHA)) {
                INDArray step = v.mul(wd);
                if (g.containsKey(k)) {
                    step.addi(g.get(k));
                }
                store.weights().get(k).assign(v.sub(step.muli(xi)));
            }
        });
        double loss = SoftmaxCrossEntropy.of(net.trainingLogits(validation.images()), validation.labels()).loss();
        weights.forEach((k, v) -> {
            if (!k.equals(Nb201Network.ALPHA)) {
                store.weights().get(k).assign(v);
            }
        });
        return loss;
    }

    @Test
    void aShortSearchOnTheDartsSpaceTrainsBothCellsAlphas() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 200, 200, 8);
        DartsSearch.Result<DartsGenotype> result = DartsSearch.search(DartsSpace.standard(), DartsMacro.of(2, 3, 1, 10),
                split, TrainSettings.defaults(1, 4).withBatchSize(50), DartsSearch.Order.FIRST, EpochListener.none());
        assertTrue(result.training().succeeded(), () -> result.training().failure().orElse(""));
        assertTrue(DartsSpace.standard().contains(result.genotype()), result.genotype().key());
        assertEquals(2, result.alpha().length);
        for (double[][] cell : result.alpha()) {
            assertTrue(java.util.Arrays.stream(cell).flatMapToDouble(java.util.Arrays::stream).anyMatch(a -> a != 0),
                    "both the normal and the reduction alpha should move");
        }
        assertEquals(DartsSpace.standard().discretize(result.alpha()), result.genotype());
    }

    @Test
    void dartsSpaceAlphaGradientsMatchFiniteDifferences() {
        Parameters store = Parameters.of(DataType.DOUBLE, 3);
        Network net = DartsNetwork.relaxed(DartsSpace.standard(), DartsMacro.of(2, 3, 1, 3), store);
        INDArray x = Nd4j.randn(new SplittableRandom(5).nextLong(), new long[] {4, 8, 8, 1}).castTo(DataType.DOUBLE);
        int[] labels = {0, 1, 2, 1};
        for (String cell : List.of("normal", "reduce")) {
            INDArray alpha = store.weights().get(MixedOp.alphaName(cell));
            alpha.assign(Nd4j.randn(new SplittableRandom(cell.length()).nextLong(), alpha.shape())
                    .castTo(DataType.DOUBLE));
        }
        net.backward(x, labels);
        for (String cell : List.of("normal", "reduce")) {
            INDArray alpha = store.weights().get(MixedOp.alphaName(cell));
            INDArray grad = store.gradients().get(MixedOp.alphaName(cell)).dup();
            for (long i = 3; i < alpha.length(); i += 23) {
                double numeric = FiniteDifference.derivative(net, x, labels, alpha, i);
                assertEquals(numeric, grad.getDouble(i), 1e-5 * Math.abs(numeric) + 1e-9, cell + "[" + i + "]");
            }
            net.backward(x, labels);
        }
    }

    private static EpochBatches.Batch batch(long seed, int[] labels) {
        return new EpochBatches.Batch(Nd4j.randn(new SplittableRandom(seed).nextLong(), new long[] {labels.length, 8,
            8, 1}).castTo(DataType.DOUBLE), labels);
    }

    @ParameterizedTest
    @EnumSource(DartsSearch.Order.class)
    void aShortSearchMovesAlphaAndDiscretizesToAMemberOfTheSpace(DartsSearch.Order order) {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 500, 500, 8);
        DartsSearch.Result<Nb201Cell> result = DartsSearch.search(Nb201Space.standard(), new Nb201Macro(4, 1, 1, 10), split,
                TrainSettings.defaults(1, 4).withBatchSize(50), order, EpochListener.none());
        assertTrue(result.training().succeeded(), () -> result.training().failure().orElse(""));
        assertTrue(Nb201Space.standard().contains(result.genotype()));
        double spread = 0;
        for (double[] edge : result.alpha()[0]) {
            for (double a : edge) {
                spread = Math.max(spread, Math.abs(a));
            }
        }
        assertNotEquals(0.0, spread, "alpha should have moved from its uniform start");
        assertEquals(Nb201Space.standard().discretize(result.alpha()), result.genotype());
    }
}
