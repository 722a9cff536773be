package org.cellforge.engine;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.engine.stopping.EarlyStopping;

/**
 * What a user asks for when starting a search, through REST, the command line or the dashboard.
 * Absent fields take defaults ({@link #withDefaults()}); {@link #validate()} lists every field at
 * fault with the reason, so all three front ends report the same errors.
 *
 * @param space search space: {@code nas-bench-201} or {@code darts}
 * @param controller search strategy, one of {@link Controllers#names()}
 * @param options the controller's own options (see its {@link org.cellforge.controller.ControllerKind})
 * @param trials architectures to train (evaluations; a repeated function is answered from its earlier result)
 * @param epochs training epochs per trial
 * @param seed seed of the controller and of training
 * @param channels width C of the first stage
 * @param cellsPerStage cells per stage (NB201); normal cells per stage for DARTS, whose network has
 *        {@code 3 * cellsPerStage + 2} cells with the two reductions
 * @param batchSize images per training step
 * @param trainSize training images per trial (cut from the training file)
 * @param validationSize validation images per trial (cut from the training file, disjoint)
 * @param dataset {@value #FASHION_MNIST} or {@code FORMAT:PATH} with FORMAT one of idx, cifar10, cifar100, folder
 * @param optimizer {@code sgd} (Nesterov momentum) or {@code adam}
 * @param learningRate initial learning rate of the cosine schedule
 * @param augmentation one of {@link #AUGMENTATIONS}
 * @param threads native threads for training; 0 keeps the backend's default
 * @param splitSeed seed of the train/validation split
 * @param warmStart NASWOT warm start: random candidates scored at initialization (no training), 0 for none
 * @param earlyStopping the early-stopping rule and its settings ({@code rule}: none, median or halving)
 * @param retrainEpochs epochs of the final stand-alone retraining (on train+validation unless
 *        {@code retraining} says otherwise) before the one
 *        test evaluation; 0 skips it
 * @param retrain which architectures are retrained: {@code best} or {@code front} (the Pareto front of
 *        accuracy and the controller's cost objective)
 * @param parallelTrials trials trained at once on this machine
 * @param mode {@code standalone} (every candidate trained on its own) or {@code weight-sharing}
 *        (candidates inherit the weights of one supernet; the only mode of {@code darts})
 * @param supernet the settings of the supernet phase of a weight-sharing search (see {@link WeightSharing})
 * @param retraining how the final retraining differs from the trials' training (see {@link Retraining})
 * @param recipe the name, version and description of the recipe this request was kept as, if any (see
 *        {@link Recipe})
 */
public record SearchRequest(String space, String controller, Map<String, Object> options, Integer trials,
        Integer epochs, Long seed, Integer channels, Integer cellsPerStage, Integer batchSize, Integer trainSize,
        Integer validationSize, String dataset, String optimizer, Double learningRate, String augmentation,
        Integer threads, Long splitSeed, Integer warmStart, Map<String, Object> earlyStopping, Integer retrainEpochs,
        String retrain, Integer parallelTrials, String mode, Map<String, Object> supernet,
        Map<String, Object> retraining, Map<String, Object> recipe) {

    /** The default dataset. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /**
     * Augmentation recipes: none; random crop with 4 pixels of padding and flips; and with 16-pixel
     * cutout too, or with random erasing of half of the images.
     */
    public static final List<String> AUGMENTATIONS = List.of("none", "crop-flip", "crop-flip-cutout",
            "crop-flip-erase");

    /** Update rules. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam");

    /** What {@link #retrain} may name. */
    public static final List<String> RETRAIN = List.of("best", "front");

    /** Images in the Fashion-MNIST training file, from which both splits are cut. */
    public static final int FASHION_MNIST_TRAINING_IMAGES = 60_000;

    public SearchRequest {
        options = options == null ? null : new LinkedHashMap<>(options);
        earlyStopping = earlyStopping == null ? null : new LinkedHashMap<>(earlyStopping);
        supernet = supernet == null ? null : new LinkedHashMap<>(supernet);
        retraining = retraining == null ? null : new LinkedHashMap<>(retraining);
        recipe = recipe == null ? null : new LinkedHashMap<>(recipe);
    }

    /** Whether candidates inherit the weights of one supernet instead of training on their own. */
    public boolean weightSharing() {
        return WeightSharing.SHARED.equals(withDefaults().mode);
    }

    /** A request for {@code trials} trials of {@code controller} on {@code space}, everything else default. */
    public static SearchRequest of(String space, String controller, int trials) {
        return builder().space(space).controller(controller).trials(trials).build();
    }

    /** A builder starting from an empty request (every field default). */
    public static Builder builder() {
        return new Builder(ofComponents(new Object[SearchRequest.class.getRecordComponents().length]));
    }

    /** A builder starting from this request. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** This request with defaults filled in for absent fields. */
    public SearchRequest withDefaults() {
        String c = controller == null ? Controllers.names().get(0) : controller.strip().toLowerCase(Locale.ROOT);
        String opt = optimizer == null ? "sgd" : optimizer.strip().toLowerCase(Locale.ROOT);
        int e = epochs == null ? 1 : epochs;
        return new SearchRequest(
                space == null ? Spaces.names().get(0) : space.strip().toLowerCase(Locale.ROOT),
                c,
                options == null ? Map.of() : options,
                trials == null ? 10 : trials,
                e,
                seed == null ? 0L : seed,
                channels == null ? 16 : channels,
                cellsPerStage == null ? 1 : cellsPerStage,
                batchSize == null ? 128 : batchSize,
                trainSize == null ? 10_000 : trainSize,
                validationSize == null ? 5_000 : validationSize,
                dataset == null || dataset.isBlank() ? FASHION_MNIST : dataset.strip(),
                opt,
                learningRate == null ? (opt.equals("adam") ? 1e-3 : 0.05) : learningRate,
                augmentation == null ? "none" : augmentation.strip().toLowerCase(Locale.ROOT),
                threads == null ? 0 : threads,
                splitSeed == null ? 0L : splitSeed,
                warmStart == null ? 0 : warmStart,
                earlyStopping == null ? Map.of("rule", EarlyStopping.NONE) : earlyStopping,
                retrainEpochs == null ? e : retrainEpochs,
                retrain == null ? (c.equals("nsga2") ? "front" : "best") : retrain.strip().toLowerCase(Locale.ROOT),
                parallelTrials == null ? 1 : parallelTrials,
                mode == null ? (Controllers.named(c).map(k -> k.oneShot()).orElse(false) ? WeightSharing.SHARED
                        : WeightSharing.STANDALONE) : mode.strip().toLowerCase(Locale.ROOT),
                supernet == null ? Map.of() : supernet,
                retraining == null ? Map.of() : retraining,
                recipe == null ? Map.of() : recipe);
    }

    /** Every problem of this request (after defaults), each naming its field; empty if it can run. */
    public List<Violation> validate() {
        SearchRequest r = withDefaults();
        List<Violation> v = new ArrayList<>();
        if (!Spaces.names().contains(r.space)) {
            v.add(new Violation("space", "unknown search space '" + r.space + "'; supported: " + Spaces.names()));
        }
        Controllers.validate(r.controller, r.options, v);
        range(v, "trials", r.trials, 1, 100_000);
        range(v, "epochs", r.epochs, 1, 1_000);
        range(v, "channels", r.channels, 1, 512);
        range(v, "cellsPerStage", r.cellsPerStage, 1, 20);
        range(v, "batchSize", r.batchSize, 1, 4_096);
        range(v, "trainSize", r.trainSize, 1, Integer.MAX_VALUE - 1);
        range(v, "validationSize", r.validationSize, 1, Integer.MAX_VALUE - 1);
        if (r.dataset.equals(FASHION_MNIST)) {
            if ((long) r.trainSize + r.validationSize > FASHION_MNIST_TRAINING_IMAGES) {
                v.add(new Violation("validationSize", "trainSize + validationSize must not exceed the "
                        + FASHION_MNIST_TRAINING_IMAGES + " training images, got "
                        + ((long) r.trainSize + r.validationSize)));
            }
        } else if (!r.dataset.matches("(?i)(idx|cifar10|cifar100|folder):.+")) {
            v.add(new Violation("dataset", "expected '" + FASHION_MNIST + "' or FORMAT:PATH with FORMAT one of idx, "
                    + "cifar10, cifar100, folder; got '" + r.dataset + "'"));
        }
        if (!OPTIMIZERS.contains(r.optimizer)) {
            v.add(new Violation("optimizer", "unknown optimizer '" + r.optimizer + "'; supported: " + OPTIMIZERS));
        }
        if (!(r.learningRate > 0 && r.learningRate <= 10)) {
            v.add(new Violation("learningRate", "must be in (0, 10], got " + r.learningRate));
        }
        if (!AUGMENTATIONS.contains(r.augmentation)) {
            v.add(new Violation("augmentation", "unknown augmentation '" + r.augmentation + "'; supported: "
                    + AUGMENTATIONS));
        }
        range(v, "threads", r.threads, 0, 1_024);
        range(v, "warmStart", r.warmStart, 0, 100_000);
        EarlyStopping.validate(r.earlyStopping, r.epochs, v);
        range(v, "retrainEpochs", r.retrainEpochs, 0, 1_000);
        if (!RETRAIN.contains(r.retrain)) {
            v.add(new Violation("retrain", "unknown choice '" + r.retrain + "'; supported: " + RETRAIN));
        }
        range(v, "parallelTrials", r.parallelTrials, 1, 64);
        if (!WeightSharing.MODES.contains(r.mode)) {
            v.add(new Violation("mode", "unknown mode '" + r.mode + "'; supported: " + WeightSharing.MODES));
        } else if (r.mode.equals(WeightSharing.STANDALONE)
                && Controllers.named(r.controller).map(k -> k.oneShot()).orElse(false)) {
            v.add(new Violation("mode", r.controller + " searches by weight sharing only: use "
                    + WeightSharing.SHARED + " or leave mode out"));
        }
        WeightSharing.validate(r.supernet, v);
        Retraining.validate(r.retraining, v);
        Recipe.validate(r.recipe, v);
        return v;
    }

    /** The controller's validated options (call on a request without violations). */
    public Options controllerOptions() {
        List<Violation> v = new ArrayList<>();
        SearchRequest r = withDefaults();
        Options o = Controllers.validate(r.controller, r.options, v);
        if (!v.isEmpty()) {
            throw new IllegalStateException("invalid controller options: " + v);
        }
        return o;
    }

    /**
     * This request after defaults and validation, with options in their normalized form (defaults
     * filled, numbers typed): what a search stores and runs.
     *
     * @throws InvalidRequestException with every field at fault
     */
    public SearchRequest normalized() {
        List<Violation> violations = validate();
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        SearchRequest r = withDefaults();
        return r.toBuilder().options(r.controllerOptions().values())
                .earlyStopping(EarlyStopping.options(r.earlyStopping).values())
                .supernet(WeightSharing.options(r.supernet).values())
                .retraining(Retraining.normalize(r.retraining)).build();
    }

    /**
     * This request with every field that {@code overrides} sets replaced, as flags given beside a recipe
     * file change it. The settings maps ({@code options}, {@code supernet}, {@code retraining}) are
     * merged key by key, so one override changes one setting; {@code earlyStopping} is replaced whole,
     * since its keys belong to its rule, and so are {@code options} when the override names another
     * controller.
     */
    public SearchRequest overriddenBy(SearchRequest overrides) {
        RecordComponent[] components = SearchRequest.class.getRecordComponents();
        Object[] values = new Object[components.length];
        boolean otherController = overrides.controller != null
                && (controller == null || !overrides.controller.strip().equalsIgnoreCase(controller.strip()));
        try {
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                Object base = components[i].getAccessor().invoke(this);
                Object given = components[i].getAccessor().invoke(overrides);
                if (name.equals("options") && otherController) {
                    values[i] = given;
                } else if (given instanceof Map<?, ?> g && base instanceof Map<?, ?> b
                        && !name.equals("earlyStopping")) {
                    Map<Object, Object> merged = new LinkedHashMap<>(b);
                    merged.putAll(g);
                    values[i] = merged;
                } else {
                    values[i] = given != null ? given : base;
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a search request", e);
        }
        return ofComponents(values);
    }

    /** A request of its fields' values in declaration order. */
    static SearchRequest ofComponents(Object[] values) {
        try {
            return SearchRequest.class.getDeclaredConstructor(Arrays.stream(SearchRequest.class.getRecordComponents())
                    .map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a search request", e);
        }
    }

    /** The settings of the final retraining (call on a request without violations). */
    public Retraining retrainingSettings() {
        return Retraining.of(withDefaults().retraining);
    }

    /** The recipe this request came from as {@code name@version}, or empty. */
    public String recipeLabel() {
        return Recipe.label(recipe);
    }

    private static void range(List<Violation> v, String field, long value, long min, long max) {
        if (value < min || value > max) {
            v.add(new Violation(field, "must be between " + min + " and " + max + ", got " + value));
        }
    }

    /** Builds a request field by field. */
    public static final class Builder {
        private String space;
        private String controller;
        private Map<String, Object> options;
        private Integer trials;
        private Integer epochs;
        private Long seed;
        private Integer channels;
        private Integer cellsPerStage;
        private Integer batchSize;
        private Integer trainSize;
        private Integer validationSize;
        private String dataset;
        private String optimizer;
        private Double learningRate;
        private String augmentation;
        private Integer threads;
        private Long splitSeed;
        private Integer warmStart;
        private Map<String, Object> earlyStopping;
        private Integer retrainEpochs;
        private String retrain;
        private Integer parallelTrials;
        private String mode;
        private Map<String, Object> supernet;
        private Map<String, Object> retraining;
        private Map<String, Object> recipe;

        private Builder(SearchRequest r) {
            space = r.space;
            controller = r.controller;
            options = r.options;
            trials = r.trials;
            epochs = r.epochs;
            seed = r.seed;
            channels = r.channels;
            cellsPerStage = r.cellsPerStage;
            batchSize = r.batchSize;
            trainSize = r.trainSize;
            validationSize = r.validationSize;
            dataset = r.dataset;
            optimizer = r.optimizer;
            learningRate = r.learningRate;
            augmentation = r.augmentation;
            threads = r.threads;
            splitSeed = r.splitSeed;
            warmStart = r.warmStart;
            earlyStopping = r.earlyStopping;
            retrainEpochs = r.retrainEpochs;
            retrain = r.retrain;
            parallelTrials = r.parallelTrials;
            mode = r.mode;
            supernet = r.supernet;
            retraining = r.retraining;
            recipe = r.recipe;
        }

        public Builder space(String v) { space = v; return this; }
        public Builder controller(String v) { controller = v; return this; }
        public Builder options(Map<String, Object> v) { options = v; return this; }
        public Builder trials(Integer v) { trials = v; return this; }
        public Builder epochs(Integer v) { epochs = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder channels(Integer v) { channels = v; return this; }
        public Builder cellsPerStage(Integer v) { cellsPerStage = v; return this; }
        public Builder batchSize(Integer v) { batchSize = v; return this; }
        public Builder trainSize(Integer v) { trainSize = v; return this; }
        public Builder validationSize(Integer v) { validationSize = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(Double v) { learningRate = v; return this; }
        public Builder augmentation(String v) { augmentation = v; return this; }
        public Builder threads(Integer v) { threads = v; return this; }
        public Builder splitSeed(Long v) { splitSeed = v; return this; }
        public Builder warmStart(Integer v) { warmStart = v; return this; }
        public Builder earlyStopping(Map<String, Object> v) { earlyStopping = v; return this; }
        public Builder retrainEpochs(Integer v) { retrainEpochs = v; return this; }
        public Builder retrain(String v) { retrain = v; return this; }
        public Builder parallelTrials(Integer v) { parallelTrials = v; return this; }
        public Builder mode(String v) { mode = v; return this; }
        public Builder supernet(Map<String, Object> v) { supernet = v; return this; }
        public Builder retraining(Map<String, Object> v) { retraining = v; return this; }
        public Builder recipe(Map<String, Object> v) { recipe = v; return this; }

        /** The request. */
        public SearchRequest build() {
            return new SearchRequest(space, controller, options, trials, epochs, seed, channels, cellsPerStage,
                    batchSize, trainSize, validationSize, dataset, optimizer, learningRate, augmentation, threads,
                    splitSeed, warmStart, earlyStopping, retrainEpochs, retrain, parallelTrials, mode, supernet,
                    retraining, recipe);
        }
    }
}
