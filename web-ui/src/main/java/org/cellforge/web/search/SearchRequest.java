package org.cellforge.web.search;

import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.data.DatasetSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * @param dataset {@value #FASHION_MNIST} (the Debian package) or {@code FORMAT:PATH} with FORMAT one of
 *        idx, cifar10, cifar100, folder
 * @param optimizer {@code sgd} (Nesterov momentum) or {@code adam}
 * @param learningRate initial learning rate of the cosine schedule
 * @param augmentation one of {@link #AUGMENTATIONS}
 * @param threads native threads for training; 0 keeps the backend's default
 */
public record SearchRequest(String space, String controller, Integer trials, Integer epochs, Long seed,
        Integer channels, Integer cellsPerStage, Integer batchSize, Integer trainSize, Integer validationSize,
        String dataset, String optimizer, Double learningRate, String augmentation, Integer threads) {

    /** A request with the default dataset and training recipe. */
    public SearchRequest(String space, String controller, Integer trials, Integer epochs, Long seed,
            Integer channels, Integer cellsPerStage, Integer batchSize, Integer trainSize, Integer validationSize) {
        this(space, controller, trials, epochs, seed, channels, cellsPerStage, batchSize, trainSize, validationSize,
                null, null, null, null, null);
    }

    /** The default dataset. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** Augmentation recipes: none; random crop with 4 pixels of padding and flips; and with 16-pixel cutout too. */
    public static final List<String> AUGMENTATIONS = List.of("none", "crop-flip", "crop-flip-cutout");

    /** The evaluator's augmentation for recipe {@code name} (one of {@link #AUGMENTATIONS}). */
    public static Augmentation augmentation(String name) {
        return switch (name) {
            case "crop-flip" -> Augmentation.standard();
            case "crop-flip-cutout" -> new Augmentation(4, true, 16);
            default -> Augmentation.none();
        };
    }

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
                validationSize == null ? 5_000 : validationSize,
                dataset == null || dataset.isBlank() ? FASHION_MNIST : dataset.strip(),
                optimizer == null ? "sgd" : optimizer.toLowerCase(Locale.ROOT),
                learningRate == null ? ("adam".equalsIgnoreCase(optimizer) ? 1e-3 : 0.05) : learningRate,
                augmentation == null ? "none" : augmentation,
                threads == null ? 0 : threads);
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
        range(v, "trainSize", r.trainSize, 1, Integer.MAX_VALUE - 1);
        range(v, "validationSize", r.validationSize, 1, Integer.MAX_VALUE - 1);
        if (!r.dataset.equals(FASHION_MNIST)) {
            try {
                DatasetSource.parse(r.dataset);
            } catch (IllegalArgumentException e) {
                v.add(new Violation("dataset", "'" + FASHION_MNIST + "' or FORMAT:PATH; " + e.getMessage()));
            }
        } else if ((long) r.trainSize + r.validationSize > TRAINING_IMAGES) {
            v.add(new Violation("validationSize", "trainSize + validationSize must not exceed the "
                    + TRAINING_IMAGES + " training images, got " + (r.trainSize + r.validationSize)));
        }
        if (!List.of("sgd", "adam").contains(r.optimizer)) {
            v.add(new Violation("optimizer", "unknown optimizer '" + r.optimizer + "'; supported: [sgd, adam]"));
        }
        if (!(r.learningRate > 0 && r.learningRate <= 10)) {
            v.add(new Violation("learningRate", "must be in (0, 10], got " + r.learningRate));
        }
        range(v, "threads", r.threads, 0, 1_024);
        if (!AUGMENTATIONS.contains(r.augmentation)) {
            v.add(new Violation("augmentation", "unknown augmentation '" + r.augmentation + "'; supported: "
                    + AUGMENTATIONS));
        }
        return v;
    }

    private static void range(List<Violation> v, String field, int value, int min, int max) {
        if (value < min || value > max) {
            v.add(new Violation(field, "must be between " + min + " and " + max + ", got " + value));
        }
    }
}
