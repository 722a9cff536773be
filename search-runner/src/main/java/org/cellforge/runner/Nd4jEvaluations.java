package org.cellforge.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Supplier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.Cost;
import org.cellforge.engine.EpochRecord;
import org.cellforge.engine.EpochSink;
import org.cellforge.engine.Evaluation;
import org.cellforge.engine.EvaluationFactory;
import org.cellforge.engine.RetrainResult;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.TrialStatus;
import org.cellforge.engine.OneShotResult;
import org.cellforge.engine.SharedWeights;
import org.cellforge.engine.SupernetEpoch;
import org.cellforge.controller.differentiable.Differentiable;
import org.cellforge.evaluator.supernet.DartsSearch;
import org.cellforge.evaluator.supernet.SinglePathTraining;
import org.cellforge.evaluator.supernet.TrainingState;
import org.cellforge.space.Relaxation;
import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.EpochMetrics;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.export.OnnxExport;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.proxy.Naswot;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/** Evaluations that train each candidate stand-alone with the ND4J evaluator. */
public final class Nd4jEvaluations implements EvaluationFactory {

    /** Images in the batch the zero-cost proxy scores networks on, as in the NASWOT paper. */
    static final int NASWOT_BATCH = 128;

    private final Datasets datasets;

    public Nd4jEvaluations(Datasets datasets) {
        this.datasets = datasets;
    }

    @Override
    public <A extends Architecture> Evaluation<A> open(long searchId, SearchRequest request, SearchSpace<A> space) {
        Dataset data = datasets.check(request);
        Split split = Split.of(data.train(), request.trainSize(), request.validationSize(), request.splitSeed());
        ImageSet shape = data.train();
        return new Nd4jEvaluation<>(searchId, request, space, Binding.of(space, request, shape.channels(), shape.height(),
                shape.width(), shape.classes()), split, data.train(), data.test());
    }

    /** The evaluator's training settings of a request. */
    public static TrainSettings settings(SearchRequest r, int epochs) {
        return TrainSettings.defaults(epochs, r.seed()).withBatchSize(r.batchSize())
                .withOptimizer(Optimizer.Kind.fromConfigName(r.optimizer()), r.learningRate())
                .withAugmentation(augmentation(r.augmentation()))
                .withThreads(r.threads());
    }

    /** The evaluator's settings of the final retraining of a request. */
    public static TrainSettings retrainSettings(SearchRequest r, int epochs) {
        Retraining retraining = r.retrainingSettings();
        TrainSettings trials = settings(r, epochs);
        TrainSettings s = trials.withBatchSize(retraining.batchSize().orElse(r.batchSize()))
                .withOptimizer(trials.optimizer(), retraining.learningRate().orElse(r.learningRate()));
        return retraining.augmentation().map(a -> s.withAugmentation(augmentation(a))).orElse(s);
    }

    /** The evaluator's augmentation for recipe {@code name} (one of {@link SearchRequest#AUGMENTATIONS}). */
    public static Augmentation augmentation(String name) {
        return switch (name) {
            case "crop-flip" -> Augmentation.standard();
            case "crop-flip-cutout" -> new Augmentation(4, true, 16);
            case "crop-flip-erase" -> new Augmentation(4, true, 0, 0.5);
            default -> Augmentation.none();
        };
    }

    private static EpochRecord record(EpochMetrics m) {
        return new EpochRecord(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.validationAccuracy(), m.seconds(),
                m.imagesPerSecond());
    }

    private static final class Nd4jEvaluation<A extends Architecture> implements Evaluation<A> {

        private final long searchId;
        private final SearchRequest request;
        private final SearchSpace<A> space;
        private final Binding<A> binding;
        private final Split split;
        private final ImageSet trainingFile;
        private final Optional<ImageSet> test;

        Nd4jEvaluation(long searchId, SearchRequest request, SearchSpace<A> space, Binding<A> binding, Split split,
                ImageSet trainingFile, Optional<ImageSet> test) {
            this.searchId = searchId;
            this.request = request;
            this.space = space;
            this.binding = binding;
            this.split = split;
            this.trainingFile = trainingFile;
            this.test = test;
        }

        @Override
        public Cost cost(A architecture) {
            return binding.cost(architecture);
        }

        @Override
        public double zeroCost(A architecture) {
            try (Trainer.ThreadSetting _ = Trainer.useThreads(request.threads())) {
                return Naswot.score(binding.network(architecture, request.seed()), split.train(), NASWOT_BATCH);
            }
        }

        @Override
        public TrialResult train(A architecture, int trial, EpochSink epochs) {
            Network net = binding.network(architecture, request.seed());
            TrainSettings settings = settings(request, request.epochs());
            TrainingResult result = Trainer.train(net, split, settings, m -> epochs.epochFinished(record(m)));
            int trained = result.epochs().size();
            if (!result.succeeded()) {
                return TrialResult.failed(result.failure().orElse("training failed"), trained, result.seconds());
            }
            TrialStatus status = trained < request.epochs() ? TrialStatus.STOPPED : TrialStatus.SUCCEEDED;
            Map<String, String> p = provenance(architecture);
            p.put("cellforge.trial", String.valueOf(trial));
            p.put("cellforge.epochs_trained", String.valueOf(trained));
            p.put("cellforge.validation_accuracy", String.valueOf(result.validationAccuracy()));
            p.put("cellforge.accuracy_kind", status == TrialStatus.STOPPED
                    ? "stand-alone validation, stopped early after " + trained + " of " + request.epochs() + " epochs"
                    : "stand-alone validation");
            return new TrialResult(status, result.validationAccuracy(), trained, result.seconds(), Optional.empty(),
                    Optional.of(onnx(net, p)));
        }

        @Override
        public RetrainResult retrain(A architecture, int epochs, EpochSink progress) {
            if (test.isEmpty()) {
                return RetrainResult.failed(request.dataset() + " has no test split, so there is nothing to test a "
                        + "retrained network on", 0, 0);
            }
            long start = System.nanoTime();
            boolean whole = request.retrainingSettings().allImages();
            // The split's images are normalized alike whichever set they come from, so a network trained
            // on the whole file is tested exactly as one trained on train+validation.
            ImageSet all = whole ? trainingFile : ImageSet.concat(List.of(split.train(), split.validation()));
            Network net = binding.network(architecture, request.seed());
            TrainSettings settings = retrainSettings(request, epochs);
            TrainingResult result = Trainer.trainWithoutValidation(net, all, settings, new EpochListener() {
                @Override
                public boolean epochDone(EpochMetrics m) {
                    progress.epochFinished(record(m));
                    return true;
                }

                @Override
                public int epochs(EpochMetrics m, int planned) {
                    return progress.epochs(record(m), planned);
                }
            });
            // Planned again after its epochs, maybe: what ran is what the result and provenance say.
            int trained = result.epochs().size();
            if (!result.succeeded()) {
                return RetrainResult.failed(result.failure().orElse("retraining failed"), result.epochs().size(),
                        result.seconds());
            }
            TestTimeAugmentation tta = TestTimeAugmentation.of(request.retrainingSettings().testTimeAugmentation());
            double accuracy;
            try (Trainer.ThreadSetting _ = Trainer.useThreads(request.threads())) {
                accuracy = Trainer.accuracy(net, test.get(), tta);
            }
            Map<String, String> p = provenance(architecture);
            p.put("cellforge.retrain", String.format(Locale.ROOT,
                    "%s=%d epochs=%d batch=%d lr=%s augmentation=%s test-time-augmentation=%s",
                    whole ? "all" : "train+validation", all.size(), trained, settings.batchSize(),
                    settings.learningRate(), request.retrainingSettings().augmentation()
                            .orElse(request.augmentation()), tta.label()));
            p.put("cellforge.test_accuracy", String.valueOf(accuracy));
            p.put("cellforge.accuracy_kind", "retrained test");
            return new RetrainResult(accuracy, all.size(), test.get().size(), trained,
                    (System.nanoTime() - start) / 1e9,
                    Optional.empty(), Optional.of(onnx(net, p, tta)));
        }

        @Override
        public java.util.OptionalLong retrainingImages() {
            return java.util.OptionalLong.of(request.retrainingSettings().allImages() ? trainingFile.size()
                    : (long) split.train().size() + split.validation().size());
        }

        @Override
        public SharedWeights<A> sharedWeights(int epochs) {
            Binding.Supernet<A> supernet = binding.supernet(request.seed());
            SinglePathTraining<A> training = new SinglePathTraining<>(supernet.store(), supernet.path(), split,
                    settings(request, epochs));
            return new SharedWeights<>() {
                @Override
                public EpochRecord trainEpoch(int epoch, int total, Supplier<A> paths,
                        Optional<ObjDoubleConsumer<A>> reward) {
                    return record(training.epoch(epoch, paths, reward));
                }

                @Override
                public double estimate(A architecture) {
                    return training.estimate(architecture);
                }

                @Override
                public byte[] state() {
                    return training.state().toBytes();
                }

                @Override
                public void restore(byte[] state) {
                    training.restore(TrainingState.fromBytes(state));
                }

                @Override
                public long parameterCount() {
                    return training.parameterCount();
                }
            };
        }

        @Override
        public OneShotResult<A> differentiable(Map<String, Object> options, int epochs, Optional<byte[]> resume,
                OneShotProgress progress) {
            DartsSearch.Config config = new DartsSearch.Config(
                    Differentiable.SECOND.equals(options.get("order")) ? DartsSearch.Order.SECOND
                            : DartsSearch.Order.FIRST,
                    Differentiable.NO_GUARD.equals(options.get("guard")) ? DartsSearch.Guard.NONE
                            : DartsSearch.Guard.BETA_DECAY,
                    options.get("guardWeight") instanceof Number w ? w.doubleValue()
                            : DartsSearch.Config.defaults().guardWeight(),
                    DartsSearch.Config.defaults().minLearningRate(),
                    options.get("alphaLearningRate") instanceof Number r ? r.doubleValue()
                            : DartsSearch.ALPHA_LEARNING_RATE);
            Relaxation relaxation = space.relaxation();
            DartsSearch.Result<A> result = binding.darts(split, settings(request, epochs), config,
                    (metrics, alpha, state) -> {
                        List<SupernetEpoch.CellWeights> cells = new ArrayList<>();
                        for (int c = 0; c < alpha.length; c++) {
                            cells.add(new SupernetEpoch.CellWeights(relaxation.cells().get(c), relaxation.ops(),
                                    alpha[c]));
                        }
                        return progress.epochDone(new SupernetEpoch(metrics.epoch(), epochs, record(metrics),
                                Optional.of(cells)), state.toBytes());
                    }, resume.map(TrainingState::fromBytes));
            TrainingResult t = result.training();
            double estimate = t.epochs().isEmpty() ? Double.NaN : t.epochs().getLast().validationAccuracy();
            return new OneShotResult<>(result.genotype(), result.completed(), estimate, t.seconds(), t.failure());
        }

        private byte[] onnx(Network net, Map<String, String> provenance) {
            return onnx(net, provenance, TestTimeAugmentation.NONE);
        }

        private byte[] onnx(Network net, Map<String, String> provenance, TestTimeAugmentation tta) {
            ImageSet s = split.train();
            return OnnxExport.toBytes(net, s.channels(), s.height(), s.width(), s.classes(), provenance, tta);
        }

        /** What a checkpoint records of how its weights came about. */
        private Map<String, String> provenance(A architecture) {
            SearchRequest r = request;
            Map<String, String> p = new LinkedHashMap<>();
            p.put("cellforge.search", String.valueOf(searchId));
            p.put("cellforge.space", space.name());
            p.put("cellforge.arch", architecture.key());
            p.put("cellforge.canonical", space.canonical(architecture).hash());
            p.put("cellforge.macro", binding.describe());
            p.put("cellforge.dataset", r.dataset());
            p.put("cellforge.split", "train=" + r.trainSize() + " validation=" + r.validationSize() + " seed="
                    + r.splitSeed());
            p.put("cellforge.training", String.format(Locale.ROOT, "batch=%d optimizer=%s lr=%s augmentation=%s seed=%d",
                    r.batchSize(), r.optimizer(), r.learningRate(), r.augmentation(), r.seed()));
            if (!r.recipeLabel().isEmpty()) {
                p.put("cellforge.recipe", r.recipeLabel());
            }
            return p;
        }
    }
}
