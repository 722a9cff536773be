package org.cellforge.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * How the stand-alone training of one trial ended.
 *
 * @param status SUCCEEDED (all epochs), STOPPED (by the early-stopping rule) or FAILED
 * @param validationAccuracy stand-alone validation accuracy after the last epoch trained; NaN if failed
 * @param epochs epochs trained
 * @param seconds wall time
 * @param failure why a failed trial failed
 * @param checkpoint the trained network (ONNX with weights and provenance), for successful and stopped trials
 */
public record TrialResult(TrialStatus status, double validationAccuracy, int epochs, double seconds,
        Optional<String> failure, Optional<byte[]> checkpoint) {

    public TrialResult {
        Objects.requireNonNull(status, "status");
        if (status == TrialStatus.RUNNING) {
            throw new IllegalArgumentException("a result ends a trial; RUNNING is not an end");
        }
        if ((status == TrialStatus.FAILED) != failure.isPresent()) {
            throw new IllegalArgumentException("failed results, and only they, carry a failure reason");
        }
        if (status != TrialStatus.FAILED && !Double.isFinite(validationAccuracy)) {
            throw new IllegalArgumentException(status + " needs a finite validation accuracy, got "
                    + validationAccuracy);
        }
    }

    /** A failed trial with its reason. */
    public static TrialResult failed(String reason, int epochs, double seconds) {
        return new TrialResult(TrialStatus.FAILED, Double.NaN, epochs, seconds, Optional.of(reason), Optional.empty());
    }
}
