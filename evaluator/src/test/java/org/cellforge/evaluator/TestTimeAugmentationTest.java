package org.cellforge.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.SplittableRandom;

import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TestTimeAugmentationTest {

    private static final int N = 7;
    private static final int C = 2;
    private static final int H = 8;
    private static final int W = 12;
    private static final int CLASSES = 4;

    private static final Network NET = trained(Nb201Network.create(Nb201Space.standard().parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|"),
            new Nb201Macro(4, 1, C, CLASSES), 5));

    /**
     * Trained to tell on which side an image is brighter (class 0 left, 1 right), so that its
     * prediction for an image and for its mirror image differ, as a trained network's do.
     */
    private static Network trained(Network net) {
        int n = 32;
        float[] pixels = sided(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        INDArray images = Batches.images(pixels, n, C, H, W);
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        for (int s = 0; s < 30; s++) {
            net.backward(images, labels);
            sgd.step(net.store().weights(), new HashMap<>(net.store().gradients()), 0.05);
        }
        return net;
    }

    @Test
    void mirroringReversesEveryRowOfEveryChannel() {
        float[] rows = {1, 2, 3, 4, 5, 6, 7, 8};
        TestTimeAugmentation.mirror(rows, 2, 4);
        assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5}, rows);
        float[] odd = {1, 2, 3};
        TestTimeAugmentation.mirror(odd, 1, 3);
        assertArrayEquals(new float[] {3, 2, 1}, odd);
    }

    @Test
    void flipPredictsTheMeanOfTheLogitsOfEachImageAndOfItsMirrorImage() {
        ImageSet images = images(random(N * C * H * W, 3));
        // The mirror images built pixel by pixel, apart from the code under test.
        float[] pixels = images.pixels();
        float[] mirrored = new float[pixels.length];
        for (int i = 0; i < N * C; i++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    mirrored[(i * H + y) * W + x] = pixels[(i * H + y) * W + (W - 1 - x)];
                }
            }
        }
        INDArray plain = TestTimeAugmentation.NONE.logits(NET, images, 0, N).dup();
        INDArray mirror = TestTimeAugmentation.NONE.logits(NET, images(mirrored), 0, N).dup();
        INDArray flip = TestTimeAugmentation.FLIP.logits(NET, images, 0, N);

        assertEquals(0, flip.sub(plain.add(mirror).mul(0.5)).amaxNumber().doubleValue(), 1e-5);
        // The network is not symmetric, so the mean is no restatement of the plain logits.
        assertTrue(flip.sub(plain).amaxNumber().doubleValue() > 1e-3);
        // The caller's images are left as they were.
        assertArrayEquals(pixels, images.pixels());
    }

    @Test
    void aShiftedViewTakesEachPixelFromItsOffsetAndZeroFromOutsideTheImage() {
        // Two 2x3 planes (one image, two channels).
        float[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[] {4, 5, 6, 0, 0, 0, 10, 11, 12, 0, 0, 0},
                new TestTimeAugmentation.View(false, 1, 0).of(pixels, 1, 2, 2, 3));
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11},
                new TestTimeAugmentation.View(false, 0, -1).of(pixels, 1, 2, 2, 3));
        // Mirrored first, then shifted: view (y, x) is mirror (y, x + 1).
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 0, 8, 7, 0, 11, 10, 0},
                new TestTimeAugmentation.View(true, 0, 1).of(pixels, 1, 2, 2, 3));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, pixels);
    }

    @Test
    void flipShiftPredictsTheMeanOverTheImageAndItsMirrorImageEachShiftedFourWays() {
        ImageSet images = images(random(N * C * H * W, 8));
        float[] pixels = images.pixels();
        int[][] shifts = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        // The ten views built pixel by pixel, apart from the code under test.
        INDArray sum = null;
        for (boolean mirrored : new boolean[] {false, true}) {
            for (int[] shift : shifts) {
                float[] view = new float[pixels.length];
                for (int i = 0; i < N * C; i++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            int sy = y + shift[0];
                            int sx = x + shift[1];
                            if (sy >= 0 && sy < H && sx >= 0 && sx < W) {
                                view[(i * H + y) * W + x] = pixels[(i * H + sy) * W + (mirrored ? W - 1 - sx : sx)];
                            }
                        }
                    }
                }
                INDArray logits = TestTimeAugmentation.NONE.logits(NET, images(view), 0, N).dup();
                sum = sum == null ? logits : sum.addi(logits);
            }
        }
        INDArray flipShift = TestTimeAugmentation.FLIP_SHIFT.logits(NET, images, 0, N);

        assertEquals(10, TestTimeAugmentation.FLIP_SHIFT.views().size());
        assertEquals(0, flipShift.sub(sum.div(10)).amaxNumber().doubleValue(), 1e-5);
        // The shifted views count: the mean is not that of the image and its mirror alone.
        assertTrue(flipShift.sub(TestTimeAugmentation.FLIP.logits(NET, images, 0, N)).amaxNumber().doubleValue() > 1e-3);
        assertArrayEquals(pixels, images.pixels());
    }

    @Test
    void flipChangesNothingForImagesThatAreTheirOwnMirror() {
        float[] pixels = random(N * C * H * W, 4);
        for (int row = 0; row < N * C * H; row++) {
            for (int x = 0; x < W / 2; x++) {
                pixels[row * W + W - 1 - x] = pixels[row * W + x];
            }
        }
        ImageSet symmetric = images(pixels);
        INDArray plain = TestTimeAugmentation.NONE.logits(NET, symmetric, 0, N).dup();
        assertEquals(0, TestTimeAugmentation.FLIP.logits(NET, symmetric, 0, N).sub(plain).amaxNumber().doubleValue(),
                1e-5);
    }

    @Test
    void accuracyCountsTheFlipAveragedPredictions() {
        // A network that tells left from right predicts an image and its mirror image differently, while
        // their flip-averaged logits are the same: the two kinds of prediction part on some of these.
        int n = 40;
        float[] pixels = sided(n, 6);
        ImageSet unlabelled = new ImageSet(pixels, new int[n], C, H, W, CLASSES);
        INDArray flipped = TestTimeAugmentation.FLIP.logits(NET, unlabelled, 0, n).argMax(1);
        INDArray plain = TestTimeAugmentation.NONE.logits(NET, unlabelled, 0, n).argMax(1);
        // Every image labelled as the flip-averaged network predicts it.
        int[] labels = new int[n];
        int plainRight = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = flipped.getInt(i);
            plainRight += plain.getInt(i) == labels[i] ? 1 : 0;
        }
        // Otherwise an accuracy that ignored the flips would count the same.
        assertTrue(plainRight < n, "the plain predictions are the same on all these images");
        ImageSet labelled = new ImageSet(pixels, labels, C, H, W, CLASSES);
        assertEquals(1.0, Trainer.accuracy(NET, labelled, TestTimeAugmentation.FLIP), 1e-12);
        assertEquals(plainRight / (double) n, Trainer.accuracy(NET, labelled), 1e-12);
    }

    @Test
    void namesAreReadBackAndAnUnknownOneIsRefusedWithTheChoices() {
        for (TestTimeAugmentation t : TestTimeAugmentation.values()) {
            assertEquals(t, TestTimeAugmentation.of(t.label()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestTimeAugmentation.of("mirror"));
        assertEquals("test-time augmentation must be one of [none, flip, flip-shift], got mirror", e.getMessage());
    }

    private static ImageSet images(float[] pixels) {
        return new ImageSet(pixels, new int[N], C, H, W, CLASSES);
    }

    /** {@code n} random images, brighter on the left for even positions and on the right for odd ones. */
    private static float[] sided(int n, long seed) {
        float[] pixels = random(n * C * H * W, seed);
        for (int i = 0; i < n; i++) {
            for (int row = i * C * H; row < (i + 1) * C * H; row++) {
                for (int x = 0; x < W / 2; x++) {
                    pixels[row * W + (i % 2 == 0 ? x : W - 1 - x)] += 1.5f;
                }
            }
        }
        return pixels;
    }

    private static float[] random(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[length];
        for (int i = 0; i < length; i++) {
            p[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return p;
    }
}
