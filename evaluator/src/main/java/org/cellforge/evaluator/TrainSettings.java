package org.cellforge.evaluator;

import java.util.Objects;

/**
 * How one candidate is trained. Defaults follow the NAS-Bench-201 recipe scaled down: SGD with
 * Nesterov momentum 0.9, weight decay 5e-4 and a cosine learning-rate schedule.
 *
 * @param epochs passes over the training split
 * @param batchSize images per step
 * @param optimizer the update rule
 * @param learningRate initial learning rate of the cosine schedule
 * @param momentum Nesterov momentum (SGD only)
 * @param weightDecay L2 coefficient added to every gradient, as PyTorch's optimizers do
 * @param augmentation what is done to training images
 * @param seed seed of weight initialization, batch order and augmentation
 * @param calibrationBatches training batches on which BatchNorm statistics are recomputed before validation
 * @param threads native threads for ND4J; 0 keeps ND4J's default
 */
public record TrainSettings(int epochs, int batchSize, Optimizer.Kind optimizer, double learningRate, double momentum,
        double weightDecay, Augmentation augmentation, long seed, int calibrationBatches, int threads) {

    public TrainSettings {
        require(epochs > 0, "epochs", epochs, "must be positive");
        require(batchSize > 0, "batchSize", batchSize, "must be positive");
        Objects.requireNonNull(optimizer, "optimizer");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "must be positive");
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "must be >= 0");
        Objects.requireNonNull(augmentation, "augmentation");
        require(calibrationBatches > 0, "calibrationBatches", calibrationBatches, "must be positive");
        require(threads >= 0, "threads", threads, "must be >= 0");
    }

    /** The defaults for {@code epochs} epochs and a seed. */
    public static TrainSettings defaults(int epochs, long seed) {
        return new TrainSettings(epochs, 128, Optimizer.Kind.SGD, 0.05, 0.9, 5e-4, Augmentation.none(), seed, 20, 0);
    }

    /** A copy with another batch size. */
    public TrainSettings withBatchSize(int size) {
        return new TrainSettings(epochs, size, optimizer, learningRate, momentum, weightDecay, augmentation, seed,
                calibrationBatches, threads);
    }

    /** A copy with another update rule and initial learning rate. */
    public TrainSettings withOptimizer(Optimizer.Kind kind, double rate) {
        return new TrainSettings(epochs, batchSize, kind, rate, momentum, weightDecay, augmentation, seed,
                calibrationBatches, threads);
    }

    /** A copy with other augmentation. */
    public TrainSettings withAugmentation(Augmentation a) {
        return new TrainSettings(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, a, seed,
                calibrationBatches, threads);
    }

    /** A copy with another native thread count (0: ND4J's default). */
    public TrainSettings withThreads(int n) {
        return new TrainSettings(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, augmentation, seed,
                calibrationBatches, n);
    }

    private static void require(boolean ok, String field, Object value, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + reason + ", got " + value);
        }
    }
}
