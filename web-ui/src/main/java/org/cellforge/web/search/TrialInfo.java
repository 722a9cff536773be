package org.cellforge.web.search;

import java.util.List;

import org.cellforge.persistence.TrialEntity;
import org.cellforge.persistence.TrialEpochEntity;

/**
 * One trial as shown over REST and in the dashboard.
 *
 * @param number one-based position in the search
 * @param arch public arch string
 * @param status RUNNING, SUCCEEDED or FAILED
 * @param validationAccuracy stand-alone training, validation split; null unless succeeded
 * @param parameters trainable parameters of the network
 * @param seconds wall time of the trial
 * @param failure why a failed trial failed
 * @param epochs what each finished epoch measured, in order (empty in listings)
 */
public record TrialInfo(int number, String arch, String status, Double validationAccuracy, Long parameters,
        Double seconds, String failure, List<Epoch> epochs) {

    /**
     * One finished epoch.
     *
     * @param epoch one-based epoch number
     * @param trainLoss mean training loss
     * @param trainAccuracy accuracy on the training batches as they were fitted
     * @param validationAccuracy accuracy on the validation split after the epoch
     * @param seconds wall time of the epoch
     * @param imagesPerSecond training throughput
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy, double seconds,
            double imagesPerSecond) {

        static Epoch of(TrialEpochEntity e) {
            return new Epoch(e.epoch, e.trainLoss, e.trainAccuracy, e.validationAccuracy, e.seconds, e.imagesPerSecond);
        }
    }

    static TrialInfo of(TrialEntity t) {
        return of(t, List.of());
    }

    static TrialInfo of(TrialEntity t, List<TrialEpochEntity> epochs) {
        return new TrialInfo(t.number, t.arch, t.status.name(), t.validationAccuracy, t.parameters, t.seconds,
                t.failure, epochs.stream().map(Epoch::of).toList());
    }
}
