package org.cellforge.evaluator.data;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.cellforge.evaluator.Augmentation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One epoch of training batches: a seeded permutation cut into full batches (the remainder is
 * dropped, as PyTorch's drop_last), each augmented and turned into NHWC.
 */
public final class EpochBatches {

    /** One batch: images [n, h, w, c] and their labels. */
    public record Batch(INDArray images, int[] labels) {
    }

    private final ImageSet set;
    private final int batch;
    private final int[] order;
    private final Augmentation augmentation;
    private final SplittableRandom augmentRandom;

    /** An epoch over {@code set} in an order drawn from {@code order}, augmented with draws from {@code augment}. */
    public EpochBatches(ImageSet set, int batch, SplittableRandom order, Augmentation augmentation,
            SplittableRandom augment) {
        if (batch <= 0 || batch > set.size()) {
            throw new IllegalArgumentException("batch size " + batch + " does not fit " + set.size() + " images");
        }
        this.set = set;
        this.batch = batch;
        this.order = Shuffle.permutation(set.size(), order);
        this.augmentation = augmentation;
        this.augmentRandom = augment;
    }

    /** Full batches in the epoch. */
    public int size() {
        return set.size() / batch;
    }

    /** Batch {@code i} of the epoch; draws augmentation, so batches are taken in order. */
    public Batch get(int i) {
        int[] indices = Arrays.copyOfRange(order, i * batch, (i + 1) * batch);
        int[] labels = new int[batch];
        for (int k = 0; k < batch; k++) {
            labels[k] = set.labels()[indices[k]];
        }
        // Augmented after standardization: padding and cutout fill with zero, the dataset mean.
        float[] pixels = set.pixels(indices);
        augmentation.apply(pixels, batch, set.channels(), set.height(), set.width(), augmentRandom);
        return new Batch(Batches.images(pixels, batch, set.channels(), set.height(), set.width()), labels);
    }
}
