package org.cellforge.engine;

import java.util.Optional;

/**
 * The final evaluation of one chosen architecture: retrained stand-alone on the search's retraining data, then
 * measured once on the test split.
 *
 * @param testAccuracy retrained test accuracy; NaN if the retraining failed
 * @param trainImages images it was retrained on
 * @param testImages images of the test split
 * @param epochs epochs retrained
 * @param seconds wall time of retraining and testing
 * @param failure why it failed
 * @param checkpoint the retrained network (ONNX with weights and provenance)
 */
public record RetrainResult(double testAccuracy, int trainImages, int testImages, int epochs, double seconds,
        Optional<String> failure, Optional<byte[]> checkpoint) {

    /** Whether it produced a test accuracy. */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** A retraining that could not produce a test accuracy. */
    public static RetrainResult failed(String reason, int epochs, double seconds) {
        return new RetrainResult(Double.NaN, 0, 0, epochs, seconds, Optional.of(reason), Optional.empty());
    }
}
