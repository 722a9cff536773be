package org.cellforge.evaluator.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
        Nb201Network net = Nb201Network.create(Nb201Space.standard().parse(arch), new Nb201Macro(c, n, 1, 10), 1);
        assertEquals(expected, net.parameterCount());
    }

    /** The built graph and the search space's formula agree, also for registered convolution shapes. */
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
            Nb201Network net = Nb201Network.create(ops, cell, macro, i, DataType.FLOAT);
            assertEquals(macro.parameters(ops, cell), net.parameterCount(), cell.key() + " at " + macro);
        }
    }

    @Test
    void registeredConvolutionsKeepTheSpatialSize() {
        OpRegistry ops = OpRegistry.builtIn().withConfig("""
                {"version": 1, "ops": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
                                       {"name": "nor_conv_3x3_d2", "type": "conv", "kernel": 3, "dilation": 2}]}""");
        Nb201Cell cell = Nb201Space.of(ops, List.of("none", "nor_conv_5x5")).parse(
                "|nor_conv_5x5~0|+|none~0|nor_conv_5x5~1|+|none~0|none~1|nor_conv_5x5~2|");
        Nb201Network net = Nb201Network.create(ops, cell, new Nb201Macro(2, 1, 1, 10), 0, DataType.FLOAT);
        INDArray logits = net.inferenceGraph().outputSingle(
                Map.of(Nb201Network.INPUT, Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28)), Nb201Network.LOGITS);
        assertEquals(List.of(3L, 10L), List.of(logits.shape()[0], logits.shape()[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nb201Network.create(
                OpRegistry.builtIn(), Nb201Cell.of("sep_conv_3x3", "none", "none", "none", "none", "none"),
                new Nb201Macro(2, 1, 1, 10), 0, DataType.FLOAT));
        assertTrue(e.getMessage().contains("type sep_conv"), e.getMessage());
        IllegalArgumentException dilated = assertThrows(IllegalArgumentException.class, () -> Nb201Network.create(
                ops, Nb201Cell.of("nor_conv_3x3_d2", "none", "none", "none", "none", "none"),
                new Nb201Macro(2, 1, 1, 10), 0, DataType.FLOAT));
        assertTrue(dilated.getMessage().contains("dilated convolutions are not supported"), dilated.getMessage());
    }

    @Test
    void logitsHaveOneRowPerImageAndAClassPerColumn() {
        Nb201Network net = Nb201Network.create(Nb201Space.standard().sample(new SplittableRandom(2)),
                new Nb201Macro(4, 1, 1, 10), 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
        INDArray logits = net.inferenceGraph().outputSingle(Map.of(Nb201Network.INPUT, x), Nb201Network.LOGITS).dup();
        assertEquals(List.of(5L, 10L), List.of(logits.size(0), logits.size(1)));
        assertTrue(Double.isFinite(logits.sumNumber().doubleValue()));
        // Output buffers are reused between calls; a kernel that does not overwrite them shows here.
        for (int i = 0; i < 3; i++) {
            assertEquals(logits, net.inferenceGraph().outputSingle(Map.of(Nb201Network.INPUT, x), Nb201Network.LOGITS));
        }
    }

    @Test
    void averagePoolingExcludesPaddingLikeThePyTorchReference() {
        // A pool that counted the zero padding would darken the borders of a constant image.
        Nb201Cell pools = Nb201Cell.of("avg_pool_3x3", "none", "none", "none", "none", "avg_pool_3x3");
        Nb201Network net = Nb201Network.create(pools, new Nb201Macro(2, 1, 1, 10), 0);
        SameDiff sd = net.inferenceGraph();
        String cellOut = sd.getVariable(Nb201Network.INPUT).name();
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, 1, 5, 5);
        SameDiff probe = SameDiff.create();
        org.nd4j.autodiff.samediff.SDVariable in = probe.placeHolder("x", DataType.FLOAT, 1, 1, 5, 5);
        probe.cnn().avgPooling2d("pooled", in,
                org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig.builder()
                        .kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                        .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.VALID)
                        .divisor(org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Divisor.EXCLUDE_PADDING)
                        .isNHWC(false).build());
        INDArray pooled = probe.outputSingle(Map.of("x", x), "pooled");
        assertEquals(Nb201Network.INPUT, cellOut);
        assertEquals(1.0, pooled.minNumber().doubleValue(), 1e-6);
        assertEquals(1.0, pooled.maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Checks the whole backward pass, BatchNorm with batch statistics included.
        Nb201Cell cell = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
        Nb201Network net = Nb201Network.create(cell, new Nb201Macro(2, 1, 1, 3), 5, DataType.DOUBLE);
        SameDiff sd = net.trainingGraph();
        SplittableRandom r = new SplittableRandom(9);
        float[] px = new float[6 * 8 * 8];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        INDArray x = Nd4j.create(px, new long[] {6, 1, 8, 8}, 'c').castTo(DataType.DOUBLE);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        Map<String, INDArray> feed = Map.of(Nb201Network.INPUT, x, Nb201Network.LABEL, y);
        for (String name : List.of("stem/conv/weight", "stage0/cell0/edge01/conv/weight", "stage1/reduce/down/weight",
                "stem/bn/gamma", "head/linear/weight")) {
            INDArray grad = sd.calculateGradients(feed, name).get(name);
            INDArray w = sd.getArrForVarName(name);
            long worst = Nd4j.argMax(Transforms.abs(grad.reshape(-1)), 0).getLong(0);
            double original = w.getDouble(worst);
            double h = 1e-5;
            w.putScalar(worst, original + h);
            double up = sd.outputSingle(feed, Nb201Network.LOSS).getDouble(0);
            w.putScalar(worst, original - h);
            double down = sd.outputSingle(feed, Nb201Network.LOSS).getDouble(0);
            w.putScalar(worst, original);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad.getDouble(worst), 1e-6 * Math.abs(numeric) + 1e-8, name);
        }
    }

    @Test
    void floatTrainingLossAgreesWithDoubleOnRepeatedCalls() {
        // Guards against float kernels that leave stale data in reused buffers.
        Nb201Cell cell = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
        Nb201Macro macro = new Nb201Macro(4, 1, 1, 10);
        SameDiff single = Nb201Network.create(cell, macro, 5).trainingGraph();
        SameDiff precise = Nb201Network.create(cell, macro, 5, DataType.DOUBLE).trainingGraph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 12, 12);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 10);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i, 1f);
        }
        double expected = precise.outputSingle(Map.of(Nb201Network.INPUT, x.castTo(DataType.DOUBLE),
                Nb201Network.LABEL, y.castTo(DataType.DOUBLE)), Nb201Network.LOSS).getDouble(0);
        for (int i = 0; i < 4; i++) {
            double loss = single.outputSingle(Map.of(Nb201Network.INPUT, x, Nb201Network.LABEL, y),
                    Nb201Network.LOSS).getDouble(0);
            assertEquals(expected, loss, 1e-4 * expected, "call " + i);
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
