package org.cellforge.evaluator.data;

import java.util.Optional;

/**
 * A loaded dataset: training images (validation splits are cut from them), the test images if
 * the source has them (for final reporting only, never for selection), and the per-channel
 * statistics the pixels were standardized with.
 *
 * @param name where it came from, as {@code FORMAT:PATH}
 * @param train training images
 * @param test test images, if any
 * @param mean per-channel mean of the training pixels in [0, 1]
 * @param std per-channel standard deviation of the training pixels in [0, 1]
 */
public record Dataset(String name, ImageSet train, Optional<ImageSet> test, float[] mean, float[] std) {

    /** Images scaled to [0, 1], before standardization. */
    record Raw(ImageSet train, Optional<ImageSet> test) {
    }

    /** Standardizes both splits per channel with the training split's statistics. */
    static Dataset standardized(String name, Raw raw) {
        ImageSet t = raw.train();
        int c = t.channels();
        int plane = t.height() * t.width();
        double[] sum = new double[c];
        double[] squares = new double[c];
        float[] px = t.pixels();
        for (int i = 0; i < t.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    double v = px[base + k];
                    sum[ch] += v;
                    squares[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double count = (double) t.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (float) (sum[ch] / count);
            // A constant channel keeps unit scale rather than dividing by zero.
            double variance = squares[ch] / count - mean[ch] * (double) mean[ch];
            std[ch] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Dataset(name, apply(t, mean, std), raw.test().map(s -> apply(s, mean, std)), mean, std);
    }

    private static ImageSet apply(ImageSet s, float[] mean, float[] std) {
        int c = s.channels();
        int plane = s.height() * s.width();
        float[] out = new float[s.pixels().length];
        for (int i = 0; i < s.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    out[base + k] = (s.pixels()[base + k] - mean[ch]) / std[ch];
                }
            }
        }
        return new ImageSet(out, s.labels(), c, s.height(), s.width(), s.classes());
    }
}
