package org.cellforge.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;

/**
 * How the final retraining differs from the trials' training ({@code retraining} in a request).
 *
 * <p>Trials are trained on a cut of the training file so that many fit the budget; the architecture
 * that is kept deserves more. By default it is retrained on train+validation with the trials' recipe
 * for {@code retrainEpochs} epochs; {@code data: all} takes every image of the training file instead,
 * and the learning rate, batch size and augmentation may differ from the trials'. With
 * {@code testTimeAugmentation: flip} the retrained network is tested, and exported, predicting the
 * mean of its logits for each image and its mirror image; with {@code flip-shift}, the mean over
 * those two each as they are and shifted by one pixel up, down, left and right. With {@code minutes}
 * the epochs are as many as fit in that time, at most {@code retrainEpochs}, so that a recipe keeps
 * its time budget whatever network the search finds; the plan is made at the trial's pace and made
 * again after each epoch at the retraining's own, so that a machine slowed down by other work shortens
 * the retraining instead of overrunning the budget. The test file is read only after this training,
 * whatever is set here.
 *
 * @param data {@link #TRAIN_VALIDATION} or {@link #ALL}
 * @param augmentation the augmentation, if it differs from the trials'
 * @param learningRate the initial learning rate of the cosine schedule, if it differs from the trials'
 * @param batchSize images per step, if it differs from the trials'
 * @param minutes minutes of training epochs each retrained network may take, if its epochs are to fit
 *     them (building the network, testing it and exporting it come on top)
 * @param testTimeAugmentation {@link #NO_TEST_TIME_AUGMENTATION}, {@link #FLIP} or {@link #FLIP_SHIFT}
 */
public record Retraining(String data, Optional<String> augmentation, Optional<Double> learningRate,
        Optional<Integer> batchSize, Optional<Double> minutes, String testTimeAugmentation) {

    /** Retrain on the search's train and validation splits. */
    public static final String TRAIN_VALIDATION = "train+validation";

    /** Retrain on every image of the training file. */
    public static final String ALL = "all";

    /** Test the retrained network on the images as they are. */
    public static final String NO_TEST_TIME_AUGMENTATION = "none";

    /** Test it on the mean of its logits for each image and its mirror image. */
    public static final String FLIP = "flip";

    /** Test it on the mean over the image and its mirror image, each as it is and shifted one pixel four ways. */
    public static final String FLIP_SHIFT = "flip-shift";

    /** The test-time augmentations a retraining may name. */
    public static final List<String> TEST_TIME_AUGMENTATIONS = List.of(NO_TEST_TIME_AUGMENTATION, FLIP, FLIP_SHIFT);

    static final Option DATA = Option.choice("data", TRAIN_VALIDATION, List.of(TRAIN_VALIDATION, ALL),
            "the images of the final retraining: the search's train and validation splits, or every image of the "
                    + "training file");
    static final Option AUGMENTATION = Option.choice("augmentation", null, SearchRequest.AUGMENTATIONS,
            "augmentation of the final retraining instead of the trials'");
    static final Option LEARNING_RATE = Option.number("learningRate", null, 1e-6, 10,
            "initial learning rate of the final retraining's cosine schedule instead of the trials'");
    static final Option BATCH_SIZE = Option.integer("batchSize", null, 1, 4_096,
            "images per step of the final retraining instead of the trials'");

    static final Option MINUTES = Option.number("minutes", null, 0.1, 100_000,
            "minutes of training epochs each retrained network may take: as many epochs as fit, planned at the pace "
                    + "its trial trained and again after each epoch at its own, at most retrainEpochs");

    static final Option TEST_TIME_AUGMENTATION = Option.choice("testTimeAugmentation", NO_TEST_TIME_AUGMENTATION,
            TEST_TIME_AUGMENTATIONS, "how the retrained network predicts, when tested and once exported: from the"
                    + " image as it is, from the mean of its logits for the image and its mirror image (twice the"
                    + " multiply-accumulates, no more parameters), or from the mean over those two each as they are"
                    + " and shifted by one pixel up, down, left and right (ten times the multiply-accumulates)");

    /** The settings of the final retraining. */
    public static final List<Option> OPTIONS = List.of(DATA, AUGMENTATION, LEARNING_RATE, BATCH_SIZE, MINUTES,
            TEST_TIME_AUGMENTATION);

    public Retraining {
        if (!DATA.choices().contains(data)) {
            throw new IllegalArgumentException("data must be one of " + DATA.choices() + ", got " + data);
        }
        if (!TEST_TIME_AUGMENTATION.choices().contains(testTimeAugmentation)) {
            throw new IllegalArgumentException("testTimeAugmentation must be one of " + TEST_TIME_AUGMENTATION.choices()
                    + ", got " + testTimeAugmentation);
        }
    }

    private static final SettingsObject SETTINGS = new SettingsObject("retraining", OPTIONS);

    /** The settings of a valid {@code retraining} object (as a request holds it). */
    public static Retraining of(Map<String, Object> raw) {
        Options o = SETTINGS.options(raw);
        Map<String, Object> values = o.values();
        return new Retraining(o.choice(DATA.name()),
                Optional.ofNullable((String) values.get(AUGMENTATION.name())),
                Optional.ofNullable((Double) values.get(LEARNING_RATE.name())),
                o.optionalInteger(BATCH_SIZE.name()).map(Math::toIntExact),
                Optional.ofNullable((Double) values.get(MINUTES.name())), o.choice(TEST_TIME_AUGMENTATION.name()));
    }

    /**
     * The epochs that fit in {@link #minutes} (all {@code epochs} without it), at least one and at most
     * {@code epochs}, for a network that trains at {@code secondsPerImage} (per image and epoch, as its
     * trial did) on {@code images} images per epoch; {@code epochs} when the pace is not known.
     */
    public int epochsWithin(int epochs, double secondsPerImage, long images) {
        if (minutes.isEmpty() || !(secondsPerImage > 0) || images <= 0) {
            return epochs;
        }
        double perEpoch = secondsPerImage * images;
        return (int) Math.max(1, Math.min(epochs, Math.floor(minutes.get() * 60 / perEpoch)));
    }

    /**
     * The time budget as people write it, {@code "80 minutes"} or {@code "0.5 minutes"}, for every place
     * that tells it; empty without one.
     */
    public Optional<String> budget() {
        return minutes.map(m -> (m == Math.rint(m) ? String.valueOf(m.longValue()) : String.valueOf(m)) + " minutes");
    }

    /** The forward passes one prediction of the retrained network takes: the views of an image its logits average. */
    public int testViews() {
        return testViews(testTimeAugmentation);
    }

    /** The forward passes one prediction takes with test-time augmentation {@code name}: 1, 2 or 10. */
    public static int testViews(String name) {
        return switch (name) {
            case FLIP -> 2;
            case FLIP_SHIFT -> 10;
            default -> 1;
        };
    }

    /**
     * How a prediction of the retrained network averages, for every place that tells a test accuracy:
     * {@code "each image averaged with its mirror image"}; empty without test-time augmentation.
     */
    public Optional<String> testedAs() {
        return testedAs(testTimeAugmentation);
    }

    /** As {@link #testedAs()}, for test-time augmentation {@code name} (as an export's metadata records it). */
    public static Optional<String> testedAs(String name) {
        return switch (name) {
            case FLIP -> Optional.of("each image averaged with its mirror image");
            case FLIP_SHIFT -> Optional.of("each image averaged over 10 mirrored and shifted views");
            default -> Optional.empty();
        };
    }

    /** Whether every image of the training file is retrained on. */
    public boolean allImages() {
        return data.equals(ALL);
    }

    /** Validates a {@code retraining} object, adding violations as {@code retraining.FIELD}. */
    static Options validate(Map<String, Object> raw, List<Violation> violations) {
        return SETTINGS.validate(raw, violations);
    }

    /** {@code raw} with defaults filled and numbers typed; {@code raw} itself if it is not valid. */
    public static Map<String, Object> normalize(Map<String, Object> raw) {
        return SETTINGS.normalize(raw);
    }
}
