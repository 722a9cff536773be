package org.cellforge.evaluator;

/**
 * What one epoch of training measured.
 *
 * @param epoch one-based epoch number
 * @param trainLoss mean training loss over the epoch's steps
 * @param trainAccuracy accuracy on the training batches as they were fitted
 * @param validationAccuracy accuracy on the validation split after the epoch
 * @param seconds wall time of the epoch, evaluation included
 * @param imagesPerSecond training throughput
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
        double seconds, double imagesPerSecond) {
}
