package org.cellforge.web.search;

import org.cellforge.persistence.TrialEntity;

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
 */
public record TrialInfo(int number, String arch, String status, Double validationAccuracy, Long parameters,
        Double seconds, String failure) {

    static TrialInfo of(TrialEntity t) {
        return new TrialInfo(t.number, t.arch, t.status.name(), t.validationAccuracy, t.parameters, t.seconds,
                t.failure);
    }
}
