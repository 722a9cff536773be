package org.cellforge.web.search;

import java.util.List;

import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.TrialEntity;
import org.cellforge.persistence.TrialEpochEntity;

/**
 * One trial as shown over REST and in the dashboard.
 *
 * @param number one-based position in the search
 * @param arch the architecture's text form
 * @param canonical hash of its canonical form (equal for trials computing the same function)
 * @param status RUNNING, SUCCEEDED, STOPPED (by early stopping) or FAILED
 * @param validationAccuracy stand-alone validation accuracy; null unless succeeded or stopped
 * @param accuracyKind what {@code validationAccuracy} is
 * @param supernetEstimate accuracy with weights inherited from the supernet (weight-sharing and darts
 *        searches): a supernet estimate, never stand-alone; null otherwise
 * @param epochsTrained epochs trained so far or in all
 * @param parameters trainable parameters of the network
 * @param flops multiply-accumulates per image
 * @param seconds wall time of the trial
 * @param failure why a failed trial failed
 * @param worker the worker that trained it last (host and process), null before one took it up
 * @param attempts times a worker took it up; more than one when a worker stopped while training it
 * @param checkpointBytes size of its stored trained network (ONNX), null when none is kept (never
 *        trained to the end, or removed to keep only a search's best; see {@code DELETE .../checkpoints})
 * @param epochs what each finished epoch measured, in order (empty in lists, pages and a search's detail:
 *        one trial's learning curve is read on its own)
 */
public record TrialInfo(int number, String arch, String canonical, String status, Double validationAccuracy,
        String accuracyKind, Double supernetEstimate, Integer epochsTrained, Long parameters, Long flops, Double seconds,
        String failure, String worker, int attempts, Long checkpointBytes, List<Epoch> epochs) {

    /** How a supernet estimate was measured. */
    public static final String SUPERNET_ESTIMATE = "supernet estimate";

    /** How a stand-alone validation accuracy was measured. */
    public static final String STAND_ALONE = "stand-alone validation";

    /**
     * One finished epoch.
     *
     * @param epoch one-based epoch number
     * @param trainLoss mean training loss
     * @param trainAccuracy accuracy on the training batches as they were fitted
     * @param validationAccuracy stand-alone validation accuracy after the epoch
     * @param seconds wall time of the epoch
     * @param imagesPerSecond training throughput
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy, double seconds,
            double imagesPerSecond) {

        static Epoch of(TrialEpochEntity e) {
            return new Epoch(e.epoch, e.trainLoss, e.trainAccuracy, e.validationAccuracy, e.seconds, e.imagesPerSecond);
        }
    }

    static TrialInfo of(TrialEntity t, List<TrialEpochEntity> epochs, java.util.Map<Integer, Long> checkpointBytes) {
        String kind = t.validationAccuracy == null ? null
                : t.status == TrialStatus.STOPPED ? STAND_ALONE + ", stopped early after " + t.epochs + " epoch(s)"
                : STAND_ALONE;
        Integer trained = t.epochs != null ? t.epochs : epochs.isEmpty() ? null : epochs.getLast().epoch;
        return new TrialInfo(t.number, t.arch, t.canonical, t.status.name(), t.validationAccuracy, kind,
                t.supernetEstimate, trained,
                t.parameters, t.flops, t.seconds, t.failure, t.worker, t.attempts, checkpointBytes.get(t.number),
                epochs.stream().map(Epoch::of).toList());
    }
}
