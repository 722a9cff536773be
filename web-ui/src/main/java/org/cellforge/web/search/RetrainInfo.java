package org.cellforge.web.search;

import org.cellforge.persistence.RetrainEntity;

/**
 * The final evaluation of a chosen architecture, as shown over REST and in the dashboard.
 *
 * @param trialNumber the trial whose architecture was retrained
 * @param arch the architecture's text form
 * @param status RUNNING, SUCCEEDED or FAILED
 * @param testAccuracy test accuracy after retraining (on the search's retraining data); null unless succeeded
 * @param accuracyKind always {@value #KIND}
 * @param epochs epochs retrained
 * @param trainImages images retrained on
 * @param testImages images of the test split
 * @param parameters trainable parameters
 * @param flops multiply-accumulates per image
 * @param seconds wall time
 * @param failure why it failed
 */
public record RetrainInfo(int trialNumber, String arch, String status, Double testAccuracy, String accuracyKind,
        int epochs, Integer trainImages, Integer testImages, Long parameters, Long flops, Double seconds,
        String failure) {

    /** What a retrained test accuracy is. */
    public static final String KIND = "retrained test";

    static RetrainInfo of(RetrainEntity r) {
        return new RetrainInfo(r.trialNumber, r.arch, r.status.name(), r.testAccuracy, KIND, r.epochs, r.trainImages,
                r.testImages, r.parameters, r.flops, r.seconds, r.failure);
    }
}
