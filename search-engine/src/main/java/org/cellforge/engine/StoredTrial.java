package org.cellforge.engine;

import java.util.List;
import java.util.Optional;

import org.cellforge.controller.Cost;

/**
 * A trial as stored.
 *
 * @param id storage id
 * @param number one-based position in the search
 * @param arch the architecture's text form
 * @param canonical hash of its canonical form
 * @param status lifecycle state
 * @param validationAccuracy stand-alone validation accuracy, null unless SUCCEEDED or STOPPED
 * @param cost parameters and FLOPs
 * @param curve validation accuracy after each epoch
 * @param failure why it failed, if it did
 * @param seconds wall time of its training
 * @param told whether the search's stored controller state has seen its result
 * @param repeats arch strings of proposals of the same function made while it trained, to be told its result
 * @param imagesPerSecond median training throughput of its epochs, validation passes excluded; NaN if
 *        no epoch was recorded
 */
public record StoredTrial(long id, int number, String arch, String canonical, TrialStatus status,
        Double validationAccuracy, Cost cost, List<Double> curve, Optional<String> failure, double seconds,
        boolean told, List<String> repeats, double imagesPerSecond) {

    public StoredTrial {
        curve = List.copyOf(curve);
        repeats = List.copyOf(repeats);
    }

    /** A trial told as soon as it ended, as one search process stores it. */
    public StoredTrial(long id, int number, String arch, String canonical, TrialStatus status,
            Double validationAccuracy, Cost cost, List<Double> curve) {
        this(id, number, arch, canonical, status, validationAccuracy, cost, curve, Optional.empty(), 0,
                status != TrialStatus.RUNNING, List.of(), Double.NaN);
    }

    /** The median of {@code imagesPerSecond}, the throughputs of a trial's epochs; NaN if there are none. */
    public static double medianThroughput(List<Double> imagesPerSecond) {
        return org.cellforge.engine.stopping.MedianRule.median(imagesPerSecond);
    }

    /** Its result as the trial ended, for the controller and listeners. */
    public TrialResult result() {
        if (status == TrialStatus.FAILED) {
            return TrialResult.failed(failure.orElse("it failed"), curve.size(), seconds);
        }
        return new TrialResult(status, validationAccuracy == null ? 0 : validationAccuracy, curve.size(), seconds,
                Optional.empty(), Optional.empty());
    }
}
