package org.cellforge.evaluator;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of training one candidate.
 *
 * @param succeeded false when training diverged or failed; {@link #failure()} then says why
 * @param validationAccuracy accuracy on the validation split after the last epoch (NaN if failed)
 * @param parameters trainable parameter count of the network
 * @param seconds wall time of the whole trial
 * @param epochs metrics of every completed epoch
 * @param failure the reason of a failed trial
 */
public record TrainingResult(boolean succeeded, double validationAccuracy, long parameters, double seconds,
        List<EpochMetrics> epochs, Optional<String> failure) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
