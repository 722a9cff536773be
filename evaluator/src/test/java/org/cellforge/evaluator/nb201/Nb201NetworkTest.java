package org.cellforge.evaluator.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.cellforge.evaluator.nn.Pool2d;
import org.cellforge.evaluator.nn.FiniteDifference;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Nb201NetworkTest {

    /**
     * Parameter counts printed by the PyTorch reference network (sum of numel over
     * model.parameters()) for these cells, widths C and cells per stage N.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;16;1;218842",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;8;1;55218",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;16;5;802138",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;4;2;23302",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|;16;1;73018",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|;4;2;4822",
        "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|;16;1;132826",
        "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|;16;5;372058",
        "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|;8;1;33714",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|;16;1;364666",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|;16;5;1531258",
    })
    void parameterCountMatchesThePyTorchReference(String arch, int c, int n, long expected) {
        Network net = Nb201Network.create(Nb201Space.standard().parse(arch), new Nb201Macro(c, n, 1, 10), 1);
        assertEquals(expected, net.parameterCount());
    }

    /** The built network and the search space's formula agree, also for registered convolution shapes. */
    @Test
    void parameterCountMatchesTheSearchSpaceFormula() {
        OpRegistry ops = OpRegistry.builtIn().withConfig("""
                {"version": 1, "ops": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
                                       {"name": "avg_pool_5x5", "type": "avg_pool", "kernel": 5}]}""");
        Nb201Space space = Nb201Space.of(ops, List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                "avg_pool_3x3", "nor_conv_5x5", "avg_pool_5x5"));
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 12; i++) {
            Nb201Cell cell = space.sample(random);
            Nb201Macro macro = new Nb201Macro(4 + 4 * (i % 2), 1 + i % 3, 1, 10);
            Network net = Nb201Network.create(ops, cell, macro, Parameters.of(DataType.FLOAT, i));
            assertEquals(macro.parameters(ops, cell), net.parameterCount(), cell.key() + " at " + macro);
        }
    }

    @Test
    void registeredConvolutionsKeepTheSpatialSizeAndUnbuildableOnesAreNamed() {
        OpRegistry ops = OpRegistry.builtIn().withConfig("""
                {"version": 1, "ops": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
                                       {"name": "nor_conv_3x3_d2", "type": "conv", "kernel": 3, "dilation": 2}]}""");
        Nb201Cell cell = Nb201Space.of(ops, List.of("none", "nor_conv_5x5")).parse(
                "|nor_conv_5x5~0|+|none~0|nor_conv_5x5~1|+|none~0|none~1|nor_conv_5x5~2|");
        Network net = Nb201Network.create(ops, cell, new Nb201Macro(2, 1, 1, 10), Parameters.of(DataType.FLOAT, 0));
        INDArray logits = net.logits(Nd4j.rand(DataType.FLOAT, 3, 28, 28, 1));
        assertEquals(List.of(3L, 10L), List.of(logits.shape()[0], logits.shape()[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nb201Network.create(
                OpRegistry.builtIn(), Nb201Cell.of("sep_conv_3x3", "none", "none", "none", "none", "none"),
                new Nb201Macro(2, 1, 1, 10), Parameters.of(DataType.FLOAT, 0)));
        assertTrue(e.getMessage().contains("type sep_conv"), e.getMessage());
        IllegalArgumentException dilated = assertThrows(IllegalArgumentException.class, () -> Nb201Network.create(
                ops, Nb201Cell.of("nor_conv_3x3_d2", "none", "none", "none", "none", "none"),
                new Nb201Macro(2, 1, 1, 10), Parameters.of(DataType.FLOAT, 0)));
        assertTrue(dilated.getMessage().contains("dilated convolutions are not supported"), dilated.getMessage());
    }

    @Test
    void repeatedCallsGiveTheSameLogits() {
        Network net = Nb201Network.create(Nb201Space.standard().sample(new SplittableRandom(2)),
                new Nb201Macro(4, 1, 1, 10), 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 28, 28, 1);
        INDArray logits = net.logits(x).dup();
        assertEquals(List.of(5L, 10L), List.of(logits.size(0), logits.size(1)));
        assertTrue(Double.isFinite(logits.sumNumber().doubleValue()));
        // Layers reuse their output arrays; a kernel that accumulates instead of overwriting shows here.
        for (int i = 0; i < 3; i++) {
            assertEquals(logits, net.logits(x));
        }
    }

    @Test
    void averagePoolingExcludesPaddingLikeThePyTorchReference() {
        // A pool that counted the zero padding would darken the borders of a constant image.
        Pool2d pool = Pool2d.average(3, 1, 1);
        INDArray pooled = pool.forward(Nd4j.ones(DataType.FLOAT, 1, 5, 5, 2), false);
        assertEquals(1.0, pooled.minNumber().doubleValue(), 1e-6);
        assertEquals(1.0, pooled.maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Checks the whole backward pass in double: every layer type, BatchNorm with batch statistics,
        // identity and zero edges, the residual reduction and the head.
        Nb201Cell cell = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
        Parameters store = Parameters.of(DataType.DOUBLE, 5);
        Network net = Nb201Network.create(OpRegistry.builtIn(), cell, new Nb201Macro(2, 1, 2, 3), store);
        INDArray x = Nd4j.randn(new SplittableRandom(9).nextLong(), new long[] {6, 8, 8, 2}).castTo(DataType.DOUBLE);
        int[] labels = {0, 1, 2, 0, 1, 2};
        net.backward(x, labels);
        java.util.Map<String, INDArray> gradients = new java.util.HashMap<>();
        store.gradients().forEach((k, v) -> gradients.put(k, v.dup()));
        // Node 2 reaches the output only through a 'none' edge, so its edges get no gradient, as in PyTorch.
        java.util.Set<String> live = new java.util.HashSet<>(net.weights().keySet());
        live.removeIf(n -> n.contains("/edge02/"));
        assertEquals(live, gradients.keySet());
        for (String name : List.of("stem/conv/weight", "stage0/cell0/edge01/nor_conv_3x3/conv/weight",
                "stage0/cell0/edge13/nor_conv_3x3/bn/gamma", "stage1/reduce/a/conv/weight",
                "stage1/reduce/down/weight", "stage2/cell0/edge13/nor_conv_3x3/bn/beta", "stem/bn/gamma",
                "head/bn/beta", "head/linear/weight", "head/linear/bias")) {
            INDArray grad = gradients.get(name);
            INDArray w = store.weights().get(name);
            for (long i : new long[] {0, w.length() / 2, w.length() - 1}) {
                double numeric = FiniteDifference.derivative(net, x, labels, w, i);
                assertEquals(numeric, grad.getDouble(i), 1e-5 * Math.abs(numeric) + 1e-8, name + "[" + i + "]");
            }
        }
    }

    @Test
    void floatAgreesWithDoubleOnRepeatedSteps() {
        // Guards against float kernels that leave stale data in reused arrays.
        Nb201Cell cell = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        Network single = Nb201Network.create(OpRegistry.builtIn(), cell, macro, Parameters.of(DataType.FLOAT, 5));
        Network precise = Nb201Network.create(OpRegistry.builtIn(), cell, macro, Parameters.of(DataType.DOUBLE, 5));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 12, 12, 1);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        double expected = precise.backward(x.castTo(DataType.DOUBLE), labels).loss();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected, single.backward(x, labels).loss(), 1e-4 * expected, "call " + i);
        }
    }

    @Test
    void unknownOperationsAreNamed() {
        Nb201Cell odd = Nb201Cell.of("sep_conv_7x7", "none", "none", "none", "none", "none");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nb201Network.create(odd, new Nb201Macro(2, 1, 1, 10), 0));
        assertTrue(e.getMessage().contains("sep_conv_7x7"));
    }
}
