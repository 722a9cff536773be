package org.cellforge.engine;

/**
 * What one epoch of training measured.
 *
 * @param epoch one-based epoch number
 * @param trainLoss mean training loss over the epoch's steps
 * @param trainAccuracy accuracy on the training batches as they were fitted
 * @param validationAccuracy stand-alone validation accuracy after the epoch; NaN when there is no
 *        validation split (the final retraining trains on train+validation)
 * @param seconds wall time of the epoch, evaluation included
 * @param imagesPerSecond training throughput
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
        double seconds, double imagesPerSecond) {
}
