package org.cellforge.evaluator.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.data.EpochBatches;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.nn.FiniteDifference;
import org.cellforge.evaluator.nn.GlobalAvgPool;
import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Layer;
import org.cellforge.evaluator.nn.Linear;
import org.cellforge.evaluator.nn.MixedOp;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.Sequential;
import org.cellforge.evaluator.nn.SoftmaxCrossEntropy;
import org.cellforge.space.Relaxation;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
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

    @Test
    void betaDecayGradientIsTheGradientOfTheMeanLogSumExp() {
        SplittableRandom random = new SplittableRandom(11);
        double[][] alpha = new double[6][5];
        for (double[] row : alpha) {
            for (int k = 0; k < row.length; k++) {
                row[k] = random.nextGaussian();
            }
        }
        double lambda = 7;
        double[][] analytic = DartsSearch.betaDecayGradient(alpha, lambda);
        for (int e = 0; e < alpha.length; e++) {
            for (int k = 0; k < alpha[e].length; k++) {
                double original = alpha[e][k];
                double h = 1e-6;
                alpha[e][k] = original + h;
                double up = lambda * meanLogSumExp(alpha);
                alpha[e][k] = original - h;
                double down = lambda * meanLogSumExp(alpha);
                alpha[e][k] = original;
                assertEquals((up - down) / (2 * h), analytic[e][k], 1e-7, "edge " + e + " op " + k);
            }
        }
    }

    private static double meanLogSumExp(double[][] alpha) {
        double sum = 0;
        for (double[] row : alpha) {
            double s = 0;
            for (double a : row) {
                s += Math.exp(a);
            }
            sum += Math.log(s);
        }
        return sum / alpha.length;
    }

    @Test
    void theGuardRampsAsTheBetaDartsCodeAndNotWithoutIt() {
        DartsSearch.Config guarded = DartsSearch.Config.defaults().withGuard(DartsSearch.Guard.BETA_DECAY);
        // The β-DARTS code: weights = 0 + 50 * epoch / 100 with a zero-based epoch, 100 epochs by default.
        for (int epoch = 1; epoch <= 100; epoch++) {
            assertEquals(50.0 * (epoch - 1) / 100, guarded.guardStrength(epoch, 100), 1e-12);
            assertEquals(0.0, DartsSearch.Config.defaults().guardStrength(epoch, 100));
        }
        // A short search follows the same ramp, so it is lightly regularized; past 100 epochs it stays at the weight.
        assertEquals(1.0, guarded.guardStrength(3, 4), 1e-12);
        assertEquals(50.0, guarded.guardStrength(150, 200), 1e-12);
    }

    @Test
    void weightGradientsAreClippedToTheGlobalNorm() {
        Map<String, INDArray> big = new LinkedHashMap<>();
        big.put("a", Nd4j.createFromArray(6f, 0f));
        big.put("b", Nd4j.createFromArray(0f, 8f));
        assertEquals(10, DartsSearch.clipGlobalNorm(big, 5), 1e-6);
        assertEquals(3, big.get("a").getDouble(0), 1e-5);
        assertEquals(4, big.get("b").getDouble(1), 1e-5);
        Map<String, INDArray> small = new LinkedHashMap<>();
        small.put("a", Nd4j.createFromArray(0.6f, 0.8f));
        DartsSearch.clipGlobalNorm(small, 5);
        assertEquals(Nd4j.createFromArray(0.6f, 0.8f), small.get("a"), "a gradient under the norm stays as it is");
    }

    @Test
    void searchNetworksNormalizeCandidatesWithoutAffineWeightsAndPoolingWithBatchNorm() {
        Parameters nb201 = Parameters.of(DataType.FLOAT, 1);
        Nb201Network.relaxed(Nb201Space.standard(), new Nb201Macro(2, 1, 1, 10), nb201);
        assertTrue(nb201.weights().containsKey("stem/bn/gamma") && nb201.weights().containsKey("head/bn/gamma")
                && nb201.weights().containsKey("stage1/reduce/a/bn/gamma"), "outside the cells BatchNorm stays affine");
        assertTrue(nb201.weights().keySet().stream().noneMatch(n -> n.contains("/edge") && n.contains("/bn/")),
                "no affine BatchNorm weights on the mixed edges");
        assertTrue(nb201.buffers().containsKey("stage0/cell0/edge01/nor_conv_3x3/bn/running_mean"));
        assertTrue(nb201.buffers().containsKey("stage0/cell0/edge01/avg_pool_3x3/bn/running_mean"),
                "pooling is followed by BatchNorm: " + nb201.buffers().keySet());

        Parameters darts = Parameters.of(DataType.FLOAT, 1);
        DartsNetwork.relaxed(DartsSpace.standard(), DartsMacro.of(2, 3, 1, 10), darts);
        assertTrue(darts.weights().containsKey("stem/bn/gamma"));
        assertTrue(darts.weights().keySet().stream().noneMatch(n -> n.endsWith("gamma") && !n.startsWith("stem/")),
                "only the stem's BatchNorm is affine in the search network");
        assertTrue(darts.buffers().containsKey("cell0/edge0/max_pool_3x3/bn/running_var"));
        assertTrue(darts.buffers().containsKey("cell1/edge0/avg_pool_3x3/bn/running_var"), "in reduction cells too");
        assertTrue(darts.buffers().containsKey("cell2/preprocess0/bn/running_mean"));

        // The stand-alone networks keep their affine BatchNorm.
        Parameters alone = Parameters.of(DataType.FLOAT, 1);
        Nb201Network.create(OpRegistry.builtIn(), Nb201Space.standard().parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"),
                new Nb201Macro(2, 1, 1, 10), alone);
        assertTrue(alone.weights().containsKey("stage0/cell0/edge01/nor_conv_3x3/bn/gamma"));
        assertTrue(alone.buffers().keySet().stream().noneMatch(n -> n.contains("avg_pool")));
    }

    /** Toy operations: only the convolution sees what tells the classes apart. */
    private static final Nb201Space TOY = Nb201Space.of(List.of("none", "skip_connect", "nor_conv_1x1",
            "avg_pool_3x3"));

    /**
     * Images whose class is their contrast: pixels of class 0 have standard deviation 0.5, of class 1
     * 1.5, and every image has zero mean in every channel. A linear function of the image (skip,
     * pooling, none, then global pooling and a linear classifier) sees nothing of the class; the
     * ReLU of a convolution path does.
     */
    private static ImageSet contrastImages(int n, long seed) {
        int c = 4;
        int side = 8;
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * c * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double sigma = labels[i] == 0 ? 0.5 : 1.5;
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * side * side;
                double mean = 0;
                for (int p = 0; p < side * side; p++) {
                    pixels[base + p] = (float) (sigma * random.nextGaussian());
                    mean += pixels[base + p];
                }
                for (int p = 0; p < side * side; p++) {
                    pixels[base + p] -= (float) (mean / (side * side));
                }
            }
        }
        return new ImageSet(pixels, labels, c, side, side, 2);
    }

    /** Six mixed edges of {@link #TOY} all reading the image, summed, then global pooling and a linear classifier. */
    private static Network parallelEdges(Parameters store) {
        NetworkBuilder b = new NetworkBuilder(store);
        INDArray alpha = store.weight(Nb201Network.ALPHA, Parameters.constant(0, Nb201Cell.EDGES, TOY.ops().size()));
        List<Layer> edges = new ArrayList<>();
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            List<Layer> candidates = new ArrayList<>();
            for (Op op : TOY.ops()) {
                candidates.add(b.searchEdge("edge" + e, op, 4));
            }
            edges.add(new MixedOp(store, Nb201Network.ALPHA, alpha, e, candidates));
        }
        return b.build(new Sequential(new Sum(edges), new GlobalAvgPool(), new Linear(store, "head", 4, 2)));
    }

    /** The sum of branches reading the same input. */
    private record Sum(List<Layer> branches) implements Layer {

        @Override
        public INDArray forward(INDArray x, boolean train) {
            INDArray sum = branches.get(0).forward(x, train).dup();
            for (int i = 1; i < branches.size(); i++) {
                sum.addi(branches.get(i).forward(x, train));
            }
            return sum;
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            INDArray sum = branches.get(0).backward(gradOut).dup();
            for (int i = 1; i < branches.size(); i++) {
                sum.addi(branches.get(i).backward(gradOut));
            }
            return sum;
        }

        @Override
        public String export(GraphWriter out, String input) {
            throw new UnsupportedOperationException();
        }
    }

    private static DartsSearch.Result<Nb201Cell> toySearch(DartsSearch.Config config, int epochs) {
        Split split = new Split(contrastImages(512, 1), contrastImages(256, 2), 0);
        TrainSettings settings = TrainSettings.defaults(epochs, 5).withBatchSize(32).withThreads(1);
        return DartsSearch.search(TOY, DartsSearchTest::parallelEdges, split, settings, config,
                DartsSearch.Progress.none(), Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(DartsSearch.Order.class)
    void alphaFavoursTheOnlyOperationThatSolvesTheTaskOnEveryEdge(DartsSearch.Order order) {
        DartsSearch.Result<Nb201Cell> result = toySearch(DartsSearch.Config.defaults().withOrder(order), 2);
        assertTrue(result.completed() && result.training().succeeded(), () -> result.training().failure().orElse(""));
        assertTrue(result.training().validationAccuracy() > 0.9, "the relaxed network should solve the task, got "
                + result.training().validationAccuracy());
        int conv = TOY.opNames().indexOf("nor_conv_1x1");
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            double[] weights = Relaxation.softmax(result.alpha()[0][e]);
            assertTrue(weights[conv] > 1.0 / TOY.ops().size(), "edge " + e + ": " + Arrays.toString(weights));
        }
        assertEquals(Nb201Cell.of(Collections.nCopies(Nb201Cell.EDGES, "nor_conv_1x1")), result.genotype());
    }

    @Test
    void theGuardKeepsTheArchitectureWeightsFromSharpeningWhereDartsGoesOn() {
        DartsSearch.Result<Nb201Cell> plain = toySearch(DartsSearch.Config.defaults(), 3);
        DartsSearch.Result<Nb201Cell> guarded = toySearch(DartsSearch.Config.defaults()
                .withGuard(DartsSearch.Guard.BETA_DECAY), 3);
        int conv = TOY.opNames().indexOf("nor_conv_1x1");
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            double[] p = Relaxation.softmax(plain.alpha()[0][e]);
            double[] g = Relaxation.softmax(guarded.alpha()[0][e]);
            // Same first epoch (the guard starts at 0), then Beta-Decay (at 0.5 and 1 on the published ramp)
            // holds the weights back.
            assertTrue(g[conv] > 1.0 / TOY.ops().size() && g[conv] < p[conv], "edge " + e + ": guarded "
                    + Arrays.toString(g) + ", plain " + Arrays.toString(p));
        }
        assertEquals(plain.genotype(), guarded.genotype(), "the guard damps alpha without overturning the task");
    }

    /** A search over a tiny NB201 relaxation on a few Fashion-MNIST images, with augmentation and the guard. */
    private static DartsSearch.Result<Nb201Cell> tinySearch(Split split, long seed, int epochs,
            DartsSearch.Progress progress, Optional<TrainingState> resume) {
        TrainSettings settings = TrainSettings.defaults(epochs, seed).withBatchSize(32).withThreads(1)
                .withAugmentation(Augmentation.standard());
        DartsSearch.Config config = DartsSearch.Config.defaults().withGuard(DartsSearch.Guard.BETA_DECAY);
        return DartsSearch.search(Nb201Space.standard(), new Nb201Macro(2, 1, 1, 10), split, settings, config,
                progress, resume);
    }

    @Test
    void aSearchResumedFromTheStateAfterAnEpochTakesExactlyTheStepsOfOneThatNeverStopped() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 96, 64, 3);
        List<TrainingState> uninterrupted = new ArrayList<>();
        DartsSearch.Result<Nb201Cell> whole = tinySearch(split, 7, 2, (m, a, state) -> uninterrupted.add(state),
                Optional.empty());
        assertTrue(whole.completed());

        List<TrainingState> saved = new ArrayList<>();
        List<double[][][]> softmax = new ArrayList<>();
        DartsSearch.Result<Nb201Cell> first = tinySearch(split, 7, 2, (m, a, state) -> {
            saved.add(state);
            softmax.add(a);
            return false;
        }, Optional.empty());
        assertFalse(first.completed(), "a search its progress stopped has not completed");
        assertEquals(1, first.training().epochs().size());
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            assertArrayEquals(Relaxation.softmax(first.alpha()[0][e]), softmax.get(0)[0][e], 1e-12);
        }

        TrainingState restored = TrainingState.fromBytes(saved.get(0).toBytes());
        List<TrainingState> continued = new ArrayList<>();
        DartsSearch.Result<Nb201Cell> resumed = tinySearch(split, 7, 2, (m, a, state) -> continued.add(state),
                Optional.of(restored));
        assertTrue(resumed.completed());
        assertEquals(List.of(2), resumed.training().epochs().stream().map(m -> m.epoch()).toList(),
                "a resumed search reports the epochs it ran");
        assertEquals(whole.genotype(), resumed.genotype());
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            assertArrayEquals(whole.alpha()[0][e], resumed.alpha()[0][e], "edge " + e);
        }
        double moved = 0;
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            for (int k = 0; k < whole.alpha()[0][e].length; k++) {
                moved = Math.max(moved, Math.abs(whole.alpha()[0][e][k] - first.alpha()[0][e][k]));
            }
        }
        assertTrue(moved > 1e-4, "the second epoch should move alpha, moved " + moved);
        assertEquals(whole.training().epochs().get(1).trainLoss(), resumed.training().epochs().get(0).trainLoss());
        // Weights, BatchNorm statistics and both optimizers' state end equal too.
        TrainingState expected = uninterrupted.get(1);
        assertEquals(expected.arrays().keySet(), continued.get(0).arrays().keySet());
        expected.arrays().forEach((name, array) -> assertEquals(array, continued.get(0).arrays().get(name), name));
        assertEquals(expected.metadata(), continued.get(0).metadata());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> tinySearch(split, 8, 2, DartsSearch.Progress.none(), Optional.of(restored)));
        assertTrue(other.getMessage().contains("seed"), other.getMessage());
    }

    @Test
    void anInterruptedSearchStopsAfterTheCurrentStep() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 96, 64, 3);
        Thread.currentThread().interrupt();
        DartsSearch.Result<Nb201Cell> result;
        try {
            result = tinySearch(split, 7, 2, (m, a, state) -> {
                throw new AssertionError("no epoch should end");
            }, Optional.empty());
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
        }
        assertFalse(result.completed());
        assertTrue(result.training().epochs().isEmpty());
        assertTrue(Arrays.stream(result.alpha()[0]).flatMapToDouble(Arrays::stream).anyMatch(a -> a != 0),
                "one step was taken");
    }

    @Test
    void aShortSearchOnTheDartsSpaceTrainsBothCellsAlphas() {
        Split split = Split.of(FashionMnist.train(FashionMnist.installedDirectory().orElseThrow()), 50, 50, 8);
        DartsSearch.Result<DartsGenotype> result = DartsSearch.search(DartsSpace.standard(), DartsMacro.of(2, 3, 1, 10),
                split, TrainSettings.defaults(1, 4).withBatchSize(50).withThreads(1), DartsSearch.Config.defaults(),
                DartsSearch.Progress.none(), Optional.empty());
        assertTrue(result.completed() && result.training().succeeded(), () -> result.training().failure().orElse(""));
        assertEquals(2, result.alpha().length);
        for (double[][] cell : result.alpha()) {
            assertTrue(Arrays.stream(cell).flatMapToDouble(Arrays::stream).anyMatch(a -> a != 0),
                    "both the normal and the reduction alpha should move");
        }
    }
}
