package org.cellforge.evaluator;

/**
 * How one candidate is trained. Defaults follow the NAS-Bench-201 recipe scaled down: SGD with
 * Nesterov momentum 0.9, weight decay 5e-4 and a cosine learning-rate schedule.
 *
 * @param epochs passes over the training split
 * @param batchSize images per step
 * @param learningRate initial learning rate of the cosine schedule
 * @param momentum Nesterov momentum
 * @param weightDecay L2 coefficient added to every gradient, as PyTorch's SGD does
 * @param seed seed of weight initialization and batch order
 * @param calibrationBatches training batches used to estimate BatchNorm population statistics
 * @param threads native threads for ND4J; 0 keeps ND4J's default
 */
public record TrainSettings(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
        long seed, int calibrationBatches, int threads) {

    public TrainSettings {
        require(epochs > 0, "epochs", epochs, "must be positive");
        require(batchSize > 0, "batchSize", batchSize, "must be positive");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "must be positive");
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "must be >= 0");
        require(calibrationBatches > 0, "calibrationBatches", calibrationBatches, "must be positive");
        require(threads >= 0, "threads", threads, "must be >= 0");
    }

    /** The defaults for {@code epochs} epochs and a seed. */
    public static TrainSettings defaults(int epochs, long seed) {
        return new TrainSettings(epochs, 128, 0.05, 0.9, 5e-4, seed, 20, 0);
    }

    /** A copy with another batch size. */
    public TrainSettings withBatchSize(int size) {
        return new TrainSettings(epochs, size, learningRate, momentum, weightDecay, seed, calibrationBatches, threads);
    }

    private static void require(boolean ok, String field, Object value, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + reason + ", got " + value);
        }
    }
}
