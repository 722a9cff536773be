package org.cellforge.evaluator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.darts.DartsNetworkTest;
import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class OnnxExportTest {

    private static final int N = 6;
    private static final int C = 3;
    private static final int SIDE = 16;

    @ParameterizedTest
    @ValueSource(strings = {
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|",
        "|none~0|+|skip_connect~0|none~1|+|nor_conv_3x3~0|none~1|skip_connect~2|",
    })
    void onnxRuntimeComputesTheSameLogitsAsTheTrainedNetwork(String arch) throws OrtException {
        roundTrip(Nb201Network.create(Nb201Space.standard().parse(arch), new Nb201Macro(4, 2, C, 5), 7), arch,
                TestTimeAugmentation.NONE);
    }

    /**
     * The graph builds the views (the mirror image a slice with step -1, a shifted view a window of the
     * zero-padded images), runs them as one batch and averages their logits.
     */
    @ParameterizedTest
    @EnumSource(value = TestTimeAugmentation.class, names = {"FLIP", "FLIP_SHIFT"})
    void aViewAveragedExportComputesTheMeanOverItsViews(TestTimeAugmentation tta) throws OrtException {
        String arch = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|";
        roundTrip(Nb201Network.create(Nb201Space.standard().parse(arch), new Nb201Macro(4, 2, C, 5), 7), arch, tta);
        roundTrip(DartsNetwork.create(DartsNetworkTest.MIXED, DartsMacro.of(4, 3, C, 5), 3),
                DartsNetworkTest.MIXED.key(), tta);
    }

    /** Depthwise and dilated filters, max pooling, factorized reductions and concatenated cell outputs. */
    @Test
    void aDartsNetworkRoundTripsToo() throws OrtException {
        roundTrip(DartsNetwork.create(DartsNetworkTest.MIXED, DartsMacro.of(4, 3, C, 5), 3),
                DartsNetworkTest.MIXED.key(), TestTimeAugmentation.NONE);
    }

    /**
     * One view at a time, mirrored or not, shifted both ways on both axes: the window the graph cuts
     * is the view the evaluator builds, which the symmetric set of flip-shift would not show.
     */
    @Test
    void eachOneSidedViewInTheGraphIsTheEvaluatorsView() throws OrtException {
        String arch = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|";
        Network net = trained(Nb201Network.create(Nb201Space.standard().parse(arch), new Nb201Macro(4, 2, C, 5), 7));
        float[] pixels = randomPixels(N, 13);
        for (TestTimeAugmentation.View view : List.of(new TestTimeAugmentation.View(true, 1, -2),
                new TestTimeAugmentation.View(false, -1, 2), new TestTimeAugmentation.View(true, 0, 1))) {
            ImageSet viewed = new ImageSet(view.of(pixels, N, C, SIDE, SIDE), new int[N], C, SIDE, SIDE, 5);
            float[][] expected = TestTimeAugmentation.NONE.logits(net, viewed, 0, N).toFloatMatrix();
            byte[] model = OnnxExport.toBytes(net, C, SIDE, SIDE, 5, Map.of(), "one view", List.of(view));
            assertClose(expected, run(model, pixels).logits(), view.toString());
        }
    }

    private static void roundTrip(Network net, String arch, TestTimeAugmentation tta) throws OrtException {
        trained(net);
        float[] pixels = randomPixels(N, 11);
        ImageSet set = new ImageSet(pixels, new int[N], C, SIDE, SIDE, 5);
        INDArray predicted = tta.logits(net, set, 0, N).dup();
        for (TestTimeAugmentation other : TestTimeAugmentation.values()) {
            if (other != tta) {
                // Otherwise an export that computed another setting's views would pass too.
                assertTrue(other.logits(net, set, 0, N).sub(predicted).amaxNumber().doubleValue() > 1e-3,
                        other.label());
            }
        }

        byte[] model = OnnxExport.toBytes(net, C, SIDE, SIDE, 5, Map.of("architecture", arch, "seed", "7"), tta);
        Run run = run(model, pixels);
        assertEquals(arch, run.metadata().get("architecture"));
        assertEquals(tta == TestTimeAugmentation.NONE ? null : tta.label(),
                run.metadata().get(OnnxExport.TEST_TIME_AUGMENTATION_KEY));
        assertClose(predicted.toFloatMatrix(), run.logits(), tta.label());
    }

    /** A few steps, so that weights and BatchNorm running statistics are no longer their initial values. */
    private static Network trained(Network net) {
        INDArray images = Batches.images(randomPixels(N, 11), N, C, SIDE, SIDE);
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        for (int s = 0; s < 5; s++) {
            net.backward(images, new int[] {0, 1, 2, 3, 4, 0});
            sgd.step(net.store().weights(), new java.util.HashMap<>(net.store().gradients()), 0.05);
        }
        return net;
    }

    /** What ONNX Runtime computes from a model for N images, and the model's metadata. */
    private record Run(float[][] logits, Map<String, String> metadata) {
    }

    private static Run run(byte[] model, float[] pixels) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {N, C, SIDE, SIDE});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            return new Run((float[][]) result.get(OnnxExport.OUTPUT).orElseThrow().getValue(),
                    session.getMetadata().getCustomMetadata());
        }
    }

    private static void assertClose(float[][] expected, float[][] actual, String what) {
        assertEquals(N, actual.length, what);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            assertEquals(argMax(expected[i]), argMax(actual[i]), what + ": prediction of image " + i);
            for (int j = 0; j < expected[i].length; j++) {
                worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]));
            }
        }
        assertTrue(worst < 1e-4, what + ": largest logit difference " + worst);
    }

    @Test
    void aRelaxedSearchNetworkIsRefusedWithTheReason() {
        Network relaxed = Nb201Network.relaxed(Nb201Space.standard(), new Nb201Macro(2, 1, 1, 10),
                Parameters.of(DataType.FLOAT, 0));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> OnnxExport.toBytes(relaxed, 1, 8, 8, 10, Map.of()));
        assertTrue(e.getMessage().contains("discretize"), e.getMessage());
    }

    private static float[] randomPixels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * C * SIDE * SIDE];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return p;
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
