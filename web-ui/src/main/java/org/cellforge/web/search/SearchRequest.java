package org.cellforge.web.search;

import java.util.ArrayList;
import java.util.List;

/**
 * What a user asks for when starting a search. Absent fields take defaults; {@link #validate()}
 * lists every field at fault with the reason.
 *
 * @param space search space name
 * @param controller search strategy name
 * @param trials number of architectures to train
 * @param epochs training epochs per trial
 * @param seed seed of the controller and of training
 * @param channels width C of the NB201 macro network
 * @param cellsPerStage cells N per stage
 * @param batchSize images per training step
 * @param trainSize training images per trial (cut from the training file)
 * @param validationSize validation images per trial (cut from the training file, disjoint)
 */
public record SearchRequest(String space, String controller, Integer trials, Integer epochs, Long seed,
        Integer channels, Integer cellsPerStage, Integer batchSize, Integer trainSize, Integer validationSize) {

    /** Spaces a search can run on. */
    public static final List<String> SPACES = List.of("nas-bench-201");

    /** Controllers a search can use. */
    public static final List<String> CONTROLLERS = List.of("random");

    /** Images in the Fashion-MNIST training file, from which both splits are cut. */
    public static final int TRAINING_IMAGES = 60_000;

    /** A field at fault and why. */
    public record Violation(String field, String reason) {
    }

    /** This request with defaults filled in for absent fields. */
    public SearchRequest withDefaults() {
        return new SearchRequest(
                space == null ? SPACES.get(0) : space,
                controller == null ? CONTROLLERS.get(0) : controller,
                trials == null ? 10 : trials,
                epochs == null ? 1 : epochs,
                seed == null ? 0L : seed,
                channels == null ? 16 : channels,
                cellsPerStage == null ? 1 : cellsPerStage,
                batchSize == null ? 128 : batchSize,
                trainSize == null ? 10_000 : trainSize,
                validationSize == null ? 5_000 : validationSize);
    }

    /** Every problem of this request (after defaults); empty if it can run. */
    public List<Violation> validate() {
        SearchRequest r = withDefaults();
        List<Violation> v = new ArrayList<>();
        if (!SPACES.contains(r.space)) {
            v.add(new Violation("space", "unknown search space '" + r.space + "'; supported: " + SPACES));
        }
        if (!CONTROLLERS.contains(r.controller)) {
            v.add(new Violation("controller", "unknown controller '" + r.controller + "'; supported: " + CONTROLLERS));
        }
        range(v, "trials", r.trials, 1, 15_625);
        range(v, "epochs", r.epochs, 1, 1_000);
        range(v, "channels", r.channels, 1, 512);
        range(v, "cellsPerStage", r.cellsPerStage, 1, 20);
        range(v, "batchSize", r.batchSize, 1, 4_096);
        range(v, "trainSize", r.trainSize, 1, TRAINING_IMAGES - 1);
        range(v, "validationSize", r.validationSize, 1, TRAINING_IMAGES - 1);
        if (r.trainSize + r.validationSize > TRAINING_IMAGES) {
            v.add(new Violation("validationSize", "trainSize + validationSize must not exceed the "
                    + TRAINING_IMAGES + " training images, got " + (r.trainSize + r.validationSize)));
        }
        return v;
    }

    private static void range(List<Violation> v, String field, int value, int min, int max) {
        if (value < min || value > max) {
            v.add(new Violation(field, "must be between " + min + " and " + max + ", got " + value));
        }
    }
}
