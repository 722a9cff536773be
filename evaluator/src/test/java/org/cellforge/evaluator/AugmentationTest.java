package org.cellforge.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static final int N = 40;
    private static final int C = 2;
    private static final int S = 6;

    private static float[] images() {
        float[] p = new float[N * C * S * S];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 + i;
        }
        return p;
    }

    @Test
    void flipsMirrorWholeImagesAboutHalfTheTime() {
        float[] original = images();
        float[] p = original.clone();
        new Augmentation(0, true, 0).apply(p, N, C, S, S, new SplittableRandom(1));
        int flipped = 0;
        for (int i = 0; i < N; i++) {
            boolean same = true;
            boolean mirrored = true;
            for (int k = 0; k < C * S * S; k++) {
                int ch = k / (S * S);
                int y = k / S % S;
                int x = k % S;
                int at = i * C * S * S + k;
                same &= p[at] == original[at];
                mirrored &= p[at] == original[i * C * S * S + (ch * S + y) * S + (S - 1 - x)];
            }
            assertTrue(same ^ mirrored, "image " + i + " must be unchanged or mirrored");
            flipped += mirrored ? 1 : 0;
        }
        assertTrue(flipped > 5 && flipped < 35, flipped + " of " + N + " flipped");
    }

    @Test
    void cropsShiftWithZeroPaddingAndTheSeedFixesEverything() {
        Augmentation a = new Augmentation(2, true, 3);
        float[] p = images();
        float[] q = images();
        a.apply(p, N, C, S, S, new SplittableRandom(5));
        a.apply(q, N, C, S, S, new SplittableRandom(5));
        assertArrayEquals(p, q);
        assertTrue(!Arrays.equals(p, images()));
        // Every value is either a pixel of the same image and channel, or zero (padding or cutout).
        float[] original = images();
        for (int i = 0; i < N; i++) {
            for (int ch = 0; ch < C; ch++) {
                int base = (i * C + ch) * S * S;
                for (int k = 0; k < S * S; k++) {
                    float v = p[base + k];
                    assertTrue(v == 0 || (v >= original[base] && v <= original[base + S * S - 1]),
                            "value " + v + " at image " + i + " channel " + ch);
                }
            }
        }
    }

    @Test
    void erasingReplacesOneRectangleOfAboutHalfTheImagesWithNoise() {
        int n = 400;
        int s = 28;
        float[] original = new float[n * s * s];
        Arrays.fill(original, 7f);
        float[] p = original.clone();
        new Augmentation(0, false, 0, 0.5).apply(p, n, 1, s, s, new SplittableRandom(2));
        int erased = 0;
        double sum = 0;
        double squares = 0;
        long pixels = 0;
        for (int i = 0; i < n; i++) {
            int top = s;
            int bottom = -1;
            int left = s;
            int right = -1;
            int changed = 0;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    float v = p[i * s * s + y * s + x];
                    if (v != 7f) {
                        changed++;
                        sum += v;
                        squares += (double) v * v;
                        pixels++;
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                    }
                }
            }
            if (changed == 0) {
                continue;
            }
            erased++;
            int box = (bottom - top + 1) * (right - left + 1);
            // Noise replaces every pixel of one rectangle (a draw equal to 7 is left aside as improbable).
            assertEquals(box, changed, "image " + i + " must have one rectangle erased");
            // 2 to 33 % of 784 pixels, sides rounded: at the least 2 x 6 (15.7 pixels at an aspect ratio
            // of 0.37), at the most about 277 pixels.
            assertTrue(box >= 12 && box <= 0.33 * s * s * 1.1, "image " + i + ": " + box + " pixels");
        }
        assertTrue(erased > 160 && erased < 240, erased + " of " + n + " erased");
        // The noise is standard normal, pixel by pixel, not a constant fill (cutout's zeros) nor uniform:
        // over some 25,000 erased pixels the mean is within 0.05 of 0 and the deviation within 0.05 of 1.
        double mean = sum / pixels;
        double deviation = Math.sqrt(squares / pixels - mean * mean);
        assertTrue(pixels > 10_000, pixels + " pixels erased");
        assertEquals(0, mean, 0.05, "mean of the noise");
        assertEquals(1, deviation, 0.05, "standard deviation of the noise");
        float[] q = original.clone();
        new Augmentation(0, false, 0, 0.5).apply(q, n, 1, s, s, new SplittableRandom(2));
        assertArrayEquals(p, q);
        // In an image of three channels the same rectangle is erased in each.
        float[] rgb = new float[20 * 3 * s * s];
        Arrays.fill(rgb, 7f);
        new Augmentation(0, false, 0, 1).apply(rgb, 20, 3, s, s, new SplittableRandom(4));
        for (int i = 0; i < 20; i++) {
            int inFirst = 0;
            for (int k = 0; k < s * s; k++) {
                boolean first = rgb[i * 3 * s * s + k] != 7f;
                inFirst += first ? 1 : 0;
                for (int ch = 1; ch < 3; ch++) {
                    assertEquals(first, rgb[(i * 3 + ch) * s * s + k] != 7f, "image " + i + " channel " + ch);
                }
            }
            assertTrue(inFirst > 0, "image " + i + " erased, with probability 1");
        }
        float[] never = original.clone();
        new Augmentation(0, false, 0, 0).apply(never, n, 1, s, s, new SplittableRandom(2));
        assertArrayEquals(original, never);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Augmentation(0, false, 0, 1.5));
        assertTrue(e.getMessage().startsWith("erasing"));
        assertEquals(new Augmentation(4, true, 0), new Augmentation(4, true, 0, -0.0));
    }

    @Test
    void noneChangesNothingAndNegativeSettingsAreRefused() {
        float[] p = images();
        Augmentation.none().apply(p, N, C, S, S, new SplittableRandom(1));
        assertArrayEquals(images(), p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, 0));
        assertTrue(e.getMessage().startsWith("cropPadding"));
    }

    @Test
    void adamsFirstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        var w = org.nd4j.linalg.factory.Nd4j.create(new double[] {1, 2, 3});
        var g = org.nd4j.linalg.factory.Nd4j.create(new double[] {0.5, -4, 0});
        Optimizer.adam(0.9, 0.999, 1e-8, 0).step(java.util.Map.of("w", w), new java.util.HashMap<>(
                java.util.Map.of("w", g)), 0.1);
        assertEquals(0.9, w.getDouble(0), 1e-6);
        assertEquals(2.1, w.getDouble(1), 1e-6);
        assertEquals(3.0, w.getDouble(2), 1e-12);
    }
}
