package org.cellforge.evaluator.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed train/validation split cut from one training file. The validation images are chosen
 * by a seeded permutation, so the same seed and sizes always give the same split and it can be
 * recorded with a search.
 *
 * @param train images to fit weights on
 * @param validation images to select architectures on
 * @param seed the seed of the permutation
 */
public record Split(ImageSet train, ImageSet validation, long seed) {

    /**
     * Splits {@code all} into {@code trainSize} training and {@code validationSize} validation
     * images (together at most all of them).
     */
    public static Split of(ImageSet all, int trainSize, int validationSize, long seed) {
        if (trainSize <= 0 || validationSize <= 0) {
            throw new IllegalArgumentException("train and validation sizes must be positive, got " + trainSize
                    + " and " + validationSize);
        }
        if ((long) trainSize + validationSize > all.size()) {
            throw new IllegalArgumentException("train size " + trainSize + " plus validation size " + validationSize
                    + " exceeds the " + all.size() + " images available");
        }
        int[] order = Shuffle.permutation(all.size(), new SplittableRandom(seed));
        int[] val = Arrays.copyOfRange(order, 0, validationSize);
        int[] train = Arrays.copyOfRange(order, validationSize, validationSize + trainSize);
        return new Split(all.select(train), all.select(val), seed);
    }
}
