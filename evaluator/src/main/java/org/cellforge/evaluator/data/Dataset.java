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

    /** Images as read, standardized with mean 0 and deviation 1 (scaled to [0, 1]) until the statistics are known. */
    record Raw(ImageSet train, Optional<ImageSet> test) {
    }

    /**
     * Standardizes both splits per channel with the training split's statistics; the bytes are
     * shared, only the statistics change.
     */
    static Dataset standardized(String name, Raw raw) {
        ImageSet t = raw.train();
        int c = t.channels();
        int plane = t.height() * t.width();
        double[] sum = new double[c];
        double[] squares = new double[c];
        byte[] px = t.bytes();
        // Sums in the order, and of the float values, that reading the files as floats gave, so the
        // statistics (and every standardized value after them) stay what they were.
        double[] scaled = new double[256];
        for (int b = 0; b < 256; b++) {
            scaled[b] = b / 255f;
        }
        for (int i = 0; i < t.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int k = 0; k < plane; k++) {
                    double v = scaled[px[base + k] & 0xFF];
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
        return new Dataset(name, t.withStatistics(mean, std), raw.test().map(s -> s.withStatistics(mean, std)), mean,
                std);
    }

    /** Bytes of pixel and label data both splits hold; see {@link ImageSet#bytesHeld}. */
    public long bytesHeld() {
        return train.bytesHeld() + test.map(ImageSet::bytesHeld).orElse(0L);
    }
}
