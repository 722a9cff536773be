package org.cellforge.evaluator;

import java.util.SplittableRandom;

/**
 * Training-time augmentation as the NAS papers use it on CIFAR: a random crop of the image padded
 * by {@code cropPadding} pixels on each side, a horizontal flip with probability one half, and
 * optionally cutout (a square of side {@code cutout} set to zero, centred anywhere in the image) or
 * random erasing (Zhong et al., 2020: with probability {@code erasing}, a rectangle of 2 to 33 % of
 * the image, PyTorch's {@code RandomErasing} default, with an aspect ratio between 0.3 and 1/0.3, the
 * paper's, filled with standard normal noise as {@code RandomErasing(value="random")}). Padding and
 * cutout fill with zero, which is the dataset mean after standardization.
 *
 * @param cropPadding pixels of padding before the random crop; 0 disables cropping
 * @param flip whether to flip horizontally at random
 * @param cutout side of the cutout square; 0 disables cutout
 * @param erasing probability of erasing a random rectangle of each image; 0 disables it
 */
public record Augmentation(int cropPadding, boolean flip, int cutout, double erasing) {

    private static final double MIN_AREA = 0.02;
    private static final double MAX_AREA = 0.33;
    private static final double MAX_ASPECT_LOG = Math.log(1 / 0.3);
    /** As PyTorch's RandomErasing: a draw that does not fit the image is drawn again, ten times at most. */
    private static final int ERASE_ATTEMPTS = 10;

    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("cropPadding must be >= 0, got " + cropPadding);
        }
        if (cutout < 0) {
            throw new IllegalArgumentException("cutout must be >= 0, got " + cutout);
        }
        if (!(erasing >= 0 && erasing <= 1)) {
            throw new IllegalArgumentException("erasing must be a probability in [0, 1], got " + erasing);
        }
        // -0.0 passes the check above, but a record's equals tells it from 0.0.
        erasing = erasing == 0 ? 0 : erasing;
    }

    /** Without random erasing. */
    public Augmentation(int cropPadding, boolean flip, int cutout) {
        this(cropPadding, flip, cutout, 0);
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(0, false, 0);
    }

    /** Crop with 4 pixels of padding and horizontal flips, as DARTS and NAS-Bench-201 train on CIFAR. */
    public static Augmentation standard() {
        return new Augmentation(4, true, 0);
    }

    /** Whether this changes any image. */
    public boolean enabled() {
        return cropPadding > 0 || flip || cutout > 0 || erasing > 0;
    }

    /**
     * Augments {@code n} images of {@code c x h x w} (NCHW, image after image) in place, drawing
     * from {@code random} in a fixed order so a seed reproduces the batch.
     */
    public void apply(float[] pixels, int n, int c, int h, int w, SplittableRandom random) {
        if (!enabled()) {
            return;
        }
        float[] copy = new float[c * h * w];
        for (int i = 0; i < n; i++) {
            int base = i * copy.length;
            int dy = cropPadding > 0 ? random.nextInt(2 * cropPadding + 1) - cropPadding : 0;
            int dx = cropPadding > 0 ? random.nextInt(2 * cropPadding + 1) - cropPadding : 0;
            boolean mirror = flip && random.nextBoolean();
            if (dy != 0 || dx != 0 || mirror) {
                System.arraycopy(pixels, base, copy, 0, copy.length);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int sy = y + dy;
                            int sx = (mirror ? w - 1 - x : x) + dx;
                            boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                            pixels[base + (ch * h + y) * w + x] = inside ? copy[(ch * h + sy) * w + sx] : 0f;
                        }
                    }
                }
            }
            if (cutout > 0) {
                int cy = random.nextInt(h);
                int cx = random.nextInt(w);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = Math.max(0, cy - cutout / 2); y < Math.min(h, cy + (cutout + 1) / 2); y++) {
                        for (int x = Math.max(0, cx - cutout / 2); x < Math.min(w, cx + (cutout + 1) / 2); x++) {
                            pixels[base + (ch * h + y) * w + x] = 0f;
                        }
                    }
                }
            }
            if (erasing > 0 && random.nextDouble() < erasing) {
                erase(pixels, base, c, h, w, random);
            }
        }
    }

    private static void erase(float[] pixels, int base, int c, int h, int w, SplittableRandom random) {
        for (int attempt = 0; attempt < ERASE_ATTEMPTS; attempt++) {
            double area = h * w * (MIN_AREA + (MAX_AREA - MIN_AREA) * random.nextDouble());
            double aspect = Math.exp(MAX_ASPECT_LOG * (2 * random.nextDouble() - 1));
            int eh = (int) Math.round(Math.sqrt(area * aspect));
            int ew = (int) Math.round(Math.sqrt(area / aspect));
            if (eh < 1 || ew < 1 || eh >= h || ew >= w) {
                continue;
            }
            int y0 = random.nextInt(h - eh + 1);
            int x0 = random.nextInt(w - ew + 1);
            for (int ch = 0; ch < c; ch++) {
                for (int y = y0; y < y0 + eh; y++) {
                    for (int x = x0; x < x0 + ew; x++) {
                        pixels[base + (ch * h + y) * w + x] = (float) random.nextGaussian();
                    }
                }
            }
            return;
        }
    }
}
