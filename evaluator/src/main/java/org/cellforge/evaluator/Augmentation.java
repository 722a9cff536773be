package org.cellforge.evaluator;

import java.util.SplittableRandom;

/**
 * Training-time augmentation as the NAS papers use it on CIFAR: a random crop of the image padded
 * by {@code cropPadding} pixels on each side, a horizontal flip with probability one half, and
 * optionally cutout (a square of side {@code cutout} set to zero, centred anywhere in the image).
 * Padding and cutout fill with zero, which is the dataset mean after standardization.
 *
 * @param cropPadding pixels of padding before the random crop; 0 disables cropping
 * @param flip whether to flip horizontally at random
 * @param cutout side of the cutout square; 0 disables cutout
 */
public record Augmentation(int cropPadding, boolean flip, int cutout) {

    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("cropPadding must be >= 0, got " + cropPadding);
        }
        if (cutout < 0) {
            throw new IllegalArgumentException("cutout must be >= 0, got " + cutout);
        }
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
        return cropPadding > 0 || flip || cutout > 0;
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
        }
    }
}
