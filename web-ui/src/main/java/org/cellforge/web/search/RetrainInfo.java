package org.cellforge.web.search;

import org.cellforge.engine.Retraining;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchEntity;

/**
 * The final evaluation of a chosen architecture, as shown over REST and in the dashboard.
 *
 * @param trialNumber the trial whose architecture was retrained
 * @param arch the architecture's text form
 * @param status RUNNING, SUCCEEDED or FAILED
 * @param testAccuracy test accuracy after retraining (on the search's retraining data); null unless succeeded
 * @param accuracyKind always {@value #KIND}
 * @param testTimeAugmentation how the test images were predicted: {@code none}; {@code flip} for the mean of
 *     the logits of each image and its mirror image (twice the multiply-accumulates of {@code flops});
 *     {@code flip-shift} for the mean over those two each as they are and shifted one pixel four ways (ten
 *     times the multiply-accumulates)
 * @param epochs epochs retrained
 * @param trainImages images retrained on
 * @param testImages images of the test split
 * @param parameters trainable parameters
 * @param flops multiply-accumulates per image
 * @param seconds wall time
 * @param failure why it failed
 */
public record RetrainInfo(int trialNumber, String arch, String status, Double testAccuracy, String accuracyKind,
        String testTimeAugmentation, int epochs, Integer trainImages, Integer testImages, Long parameters, Long flops, Double seconds,
        String failure) {

    /** What a retrained test accuracy is. */
    public static final String KIND = "retrained test";

    static RetrainInfo of(RetrainEntity r, SearchEntity search) {
        return new RetrainInfo(r.trialNumber, r.arch, r.status.name(), r.testAccuracy, KIND,
                JpaSearchStore.request(search).retrainingSettings().testTimeAugmentation(), r.epochs, r.trainImages,
                r.testImages, r.parameters, r.flops, r.seconds, r.failure);
    }

    /** The accuracy's kind in words: {@code retrained test}, and how the images were predicted unless one by one. */
    public String kindInWords() {
        return Retraining.testedAs(testTimeAugmentation).map(a -> KIND + ", " + a).orElse(KIND);
    }
}
