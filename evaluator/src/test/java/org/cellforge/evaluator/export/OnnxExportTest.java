package org.cellforge.evaluator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
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

    private static void roundTrip(Network net, String arch, TestTimeAugmentation tta) throws OrtException {
        float[] pixels = randomPixels(N, 11);
        INDArray images = Batches.images(pixels, N, C, SIDE, SIDE);
        // A few steps, so that weights and BatchNorm running statistics are no longer their initial values.
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        for (int s = 0; s < 5; s++) {
            net.backward(images, new int[] {0, 1, 2, 3, 4, 0});
            sgd.step(net.store().weights(), new java.util.HashMap<>(net.store().gradients()), 0.05);
        }
        ImageSet set = new ImageSet(pixels, new int[N], C, SIDE, SIDE, 5);
        float[][] expected = tta.logits(net, set, 0, N).toFloatMatrix();
        if (tta != TestTimeAugmentation.NONE) {
            // Otherwise an export that left the images alone would pass too.
            INDArray plain = TestTimeAugmentation.NONE.logits(net, set, 0, N).dup();
            assertTrue(plain.sub(tta.logits(net, set, 0, N)).amaxNumber().doubleValue() > 1e-3);
        }

        byte[] model = OnnxExport.toBytes(net, C, SIDE, SIDE, 5, Map.of("architecture", arch, "seed", "7"), tta);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {N, C, SIDE, SIDE});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] actual = (float[][]) result.get(OnnxExport.OUTPUT).orElseThrow().getValue();
            assertEquals(arch, session.getMetadata().getCustomMetadata().get("architecture"));
            assertEquals(tta == TestTimeAugmentation.NONE ? null : tta.label(),
                    session.getMetadata().getCustomMetadata().get(OnnxExport.TEST_TIME_AUGMENTATION_KEY));
            assertEquals(N, actual.length);
            double worst = 0;
            for (int i = 0; i < N; i++) {
                assertEquals(argMax(expected[i]), argMax(actual[i]), "prediction of image " + i);
                for (int j = 0; j < expected[i].length; j++) {
                    worst = Math.max(worst, Math.abs(expected[i][j] - actual[i][j]));
                }
            }
            assertTrue(worst < 1e-4, "largest logit difference " + worst);
        }
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
