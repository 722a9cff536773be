package org.cellforge.evaluator.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Images held in memory as normalized floats in NCHW order, with integer class labels.
 *
 * @param pixels {@code size * channels * height * width} values, image after image
 * @param labels one class index per image
 * @param channels colour channels per image
 * @param height rows per image
 * @param width columns per image
 * @param classes number of classes; labels lie in {@code [0, classes)}
 */
public record ImageSet(float[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 1) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " with " + classes + " classes is not usable");
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel values do not make " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Values per image. */
    public int imageLength() {
        return channels * height * width;
    }

    /** A new set holding the images at {@code indices}, in that order. */
    public ImageSet select(int[] indices) {
        int n = imageLength();
        float[] p = new float[indices.length * n];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * n, p, i * n, n);
            l[i] = labels[indices[i]];
        }
        return new ImageSet(p, l, channels, height, width, classes);
    }

    /**
     * The images of {@code parts} one after another; all must have one shape and class count.
     *
     * @throws IllegalArgumentException if they differ
     */
    public static ImageSet concat(java.util.List<ImageSet> parts) {
        ImageSet first = parts.get(0);
        int total = 0;
        for (ImageSet p : parts) {
            if (p.channels != first.channels || p.height != first.height || p.width != first.width
                    || p.classes != first.classes) {
                throw new IllegalArgumentException("cannot join " + p + " to " + first);
            }
            total += p.size();
        }
        float[] px = new float[total * first.imageLength()];
        int[] y = new int[total];
        int at = 0;
        for (ImageSet p : parts) {
            System.arraycopy(p.pixels, 0, px, at * first.imageLength(), p.pixels.length);
            System.arraycopy(p.labels, 0, y, at, p.size());
            at += p.size();
        }
        return new ImageSet(px, y, first.channels, first.height, first.width, first.classes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet other && channels == other.channels && height == other.height
                && width == other.width && classes == other.classes && Arrays.equals(labels, other.labels)
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " x " + channels + "x" + height + "x" + width + ", " + classes + " classes]";
    }
}
