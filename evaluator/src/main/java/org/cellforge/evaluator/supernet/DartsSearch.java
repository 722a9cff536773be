package org.cellforge.evaluator.supernet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.EpochListener;
import org.cellforge.evaluator.EpochMetrics;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.EpochBatches;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.nn.MixedOp;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.SoftmaxCrossEntropy;
import org.cellforge.space.Architecture;
import org.cellforge.space.Relaxation;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DARTS on a cell search space (NB201, or the DARTS space with normal and reduction cells): every
 * edge mixes all candidate operations by softmax(alpha); network weights step on training batches,
 * alpha on validation batches, in alternation; the genotype keeps each edge's strongest operation.
 *
 * <p>As the reference implementation (quark0/darts, {@code cnn/train_search.py},
 * {@code architect.py}, {@code model_search.py}): alpha's optimizer is Adam, learning rate 3e-4,
 * betas (0.5, 0.999), weight decay 1e-3; the weights' gradients are clipped to global norm 5
 * before each weight step; the weights' learning rate follows a cosine from the settings' rate to
 * {@link Config#minLearningRate} (here over the global iteration, where the reference steps it
 * once per epoch); the relaxed networks use BatchNorm without affine weights in the candidate
 * operations (and, in the DARTS space, the cells' preprocessing), with one after every pooling
 * candidate. The reported validation accuracy of an epoch is the relaxed network's after its
 * BatchNorm statistics are recomputed on {@link TrainSettings#calibrationBatches} training batches.
 *
 * <p>First order takes alpha's gradient of the validation loss at the current weights. Second
 * order takes it at the weights after one virtual SGD step on the training batch, w' = w - xi
 * (grad_w L_train + wd w) with xi the current learning rate, and corrects for the weights'
 * dependence on alpha with DARTS's finite-difference Hessian-vector product.
 *
 * <p>Against collapse (plain DARTS drifting towards parameter-free operations as the search goes
 * on), {@link Guard#BETA_DECAY} adds β-DARTS's Beta-Decay regularization to alpha's objective, see
 * {@link Guard}.
 *
 * <p>Every epoch draws its batch order, validation order and augmentation from generators derived
 * from (seed, epoch) alone, and the learning rate depends only on the global iteration, so a search
 * resumed from the {@link TrainingState} handed out after epoch k takes exactly the steps of one
 * that never stopped.
 */
public final class DartsSearch {

    /** Size of the weight perturbation of the finite-difference Hessian-vector product, as DARTS. */
    static final double HESSIAN_RADIUS = 0.01;

    /** Learning rate of alpha, as DARTS. */
    public static final double ALPHA_LEARNING_RATE = 3e-4;

    /** Global norm the weights' gradients are clipped to before each weight step, as DARTS ({@code grad_clip}). */
    public static final double GRADIENT_CLIP = 5;

    /**
     * Beta-Decay's weight as the β-DARTS code sets it: its coefficient grows as 50 * epoch / 100 over
     * the 100 epochs of its default search, towards 50.
     */
    public static final double BETA_DECAY_WEIGHT = 50;

    /** Epochs over which Beta-Decay's coefficient ramps from 0 to its weight, as the β-DARTS code. */
    static final double BETA_DECAY_RAMP = 100;

    /** Final learning rate of the weights' cosine schedule, as DARTS ({@code learning_rate_min}). */
    public static final double MIN_LEARNING_RATE = 0.001;

    /** What the training state's {@code format} entry holds for a DARTS search. */
    static final String STATE_FORMAT = "cellforge-darts-search/1";

    private static final String WEIGHT = "weight/";
    private static final String BUFFER = "buffer/";
    private static final String WEIGHT_OPTIMIZER = "optimizer/weights/";
    private static final String ALPHA_OPTIMIZER = "optimizer/alpha/";

    private static final long TRAIN_ORDER = 0x5DEECE66DL;
    private static final long VALIDATION_ORDER = 0x27BB2EE687B0B0FDL;
    private static final long AUGMENT = 0x2545F4914F6CDD1DL;

    private DartsSearch() {
    }

    /**
     * What a DARTS search found.
     *
     * @param genotype the discrete architecture the space's rule picks from alpha
     * @param alpha the architecture logits, [cell][edge][op] in the space's relaxation order
     * @param training metrics of the epochs run by this call, numbered globally: a search resumed
     *        after epoch k reports epochs k+1, k+2, ... only; validation accuracy is the relaxed
     *        network's, a supernet estimate. {@code succeeded} is false only if the loss diverged.
     * @param completed whether all {@link TrainSettings#epochs} epochs have run (counting those before
     *        a resume); false for a search stopped by {@link Progress}, by interruption or by divergence
     * @param <A> the space's architecture type
     */
    public record Result<A extends Architecture>(A genotype, double[][][] alpha, TrainingResult training,
            boolean completed) {
    }

    /** How alpha's gradient is taken. */
    public enum Order {
        /** At the current weights (DARTS first order). */
        FIRST,
        /** Through one virtual weight step (DARTS second order; about five passes per step instead of two). */
        SECOND
    }

    /**
     * A remedy for DARTS's collapse onto parameter-free operations.
     */
    public enum Guard {
        /** Plain DARTS. */
        NONE,
        /**
         * β-DARTS's Beta-Decay regularization (Ye et al., "β-DARTS: Beta-Decay Regularization for
         * Differentiable Architecture Search", CVPR 2022; code github.com/Sunshine-Ye/Beta-DARTS,
         * {@code optimizers/darts/architect.py}): alpha's objective becomes L_val + λ L_β with
         * L_β = mean over a cell's edges of log(sum_k exp(alpha_k)), summed over the cells (normal and
         * reduce in the DARTS space), so alpha's gradient gains λ softmax(alpha_e) / edges on every
         * edge e. It keeps the softmax-activated alphas from growing large and peaked, which is how
         * DARTS locks onto skip connections early. Chosen because it costs nothing: no extra forward
         * or backward pass, one softmax per edge; the paper reports it reaching the optimum of
         * NAS-Bench-201 on CIFAR-10.
         *
         * <p>λ's schedule is the paper code's: during zero-based epoch e, λ = weight * e / 100 (its
         * 100-epoch ramp), capped at the weight, so the first epoch is plain DARTS and a short search
         * stays lightly regularized. Stretching the ramp over a short run instead (λ = weight * e / E)
         * was tried and is wrong with Adam: alpha's Adam step normalizes each coordinate, so once λ
         * softmax / edges (about 1.7 at λ = 50 on NB201) dwarfs the validation gradient (about 1e-3
         * there), every alpha moves by the same step, the validation signal is lost, and the genotype
         * is decided by ties (in a 10-epoch Fashion-MNIST run it picked 'none' on 4 of 6 edges, a cell
         * that computes nothing; BENCHMARKS.md). The code adds the term to the
         * first-order gradient only; here it is added in either order (it does not depend on the
         * weights, so the second-order gradient of the regularized objective is the sum).
         */
        BETA_DECAY
    }

    /**
     * How DARTS is run.
     *
     * @param order how alpha's gradient is taken
     * @param guard the remedy against collapse
     * @param guardWeight the guard's final strength (Beta-Decay's λ at the end of the ramp)
     * @param minLearningRate the weights' learning rate at the end of the cosine schedule
     * @param alphaLearningRate Adam's step size on alpha ({@value #ALPHA_LEARNING_RATE} in DARTS, tuned for 50
     *        epochs of CIFAR-10; short searches on few images need a larger one for alpha to move)
     */
    public record Config(Order order, Guard guard, double guardWeight, double minLearningRate,
            double alphaLearningRate) {

        public Config {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(guard, "guard");
            if (!(guardWeight >= 0) || !Double.isFinite(guardWeight)) {
                throw new IllegalArgumentException("guardWeight must be finite and >= 0, got " + guardWeight);
            }
            if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
                throw new IllegalArgumentException("minLearningRate must be finite and >= 0, got " + minLearningRate);
            }
            if (!(alphaLearningRate > 0) || !Double.isFinite(alphaLearningRate)) {
                throw new IllegalArgumentException("alphaLearningRate must be finite and > 0, got "
                        + alphaLearningRate);
            }
        }

        /**
         * First order, no guard, Beta-Decay's weight of the β-DARTS code ({@value #BETA_DECAY_WEIGHT}) for
         * when the guard is turned on, and DARTS's {@code learning_rate_min} of {@value #MIN_LEARNING_RATE}.
         */
        public static Config defaults() {
            return new Config(Order.FIRST, Guard.NONE, BETA_DECAY_WEIGHT, MIN_LEARNING_RATE, ALPHA_LEARNING_RATE);
        }

        /** A copy with another order. */
        public Config withOrder(Order o) {
            return new Config(o, guard, guardWeight, minLearningRate, alphaLearningRate);
        }

        /** A copy with another guard. */
        public Config withGuard(Guard g) {
            return new Config(order, g, guardWeight, minLearningRate, alphaLearningRate);
        }

        /**
         * The guard's strength during one-based {@code epoch} (of {@code epochs}, which the published
         * ramp does not depend on): 0 without a guard.
         */
        double guardStrength(int epoch, int epochs) {
            return guard == Guard.NONE ? 0 : Math.min(guardWeight, guardWeight * (epoch - 1) / BETA_DECAY_RAMP);
        }
    }

    /** Called after every epoch, on the training thread. */
    @FunctionalInterface
    public interface Progress {

        /**
         * @param metrics what the epoch measured (validation accuracy with recalibrated BatchNorm statistics)
         * @param alphaSoftmax softmax of alpha per [cell][edge][op] after this epoch
         * @param state the whole training state after this epoch (weights, BN statistics, both
         *        optimizers' state, epoch): resuming from it continues exactly
         * @return true to go on, false to stop after this epoch (a cancelled search)
         */
        boolean epochDone(EpochMetrics metrics, double[][][] alphaSoftmax, TrainingState state);

        /** Goes on after every epoch and keeps nothing. */
        static Progress none() {
            return (metrics, alphaSoftmax, state) -> true;
        }
    }

    /** Runs the first-order search over the NB201 space on {@code split} with {@code settings} for the weights. */
    public static Result<Nb201Cell> search(Nb201Space space, Nb201Macro macro, Split split, TrainSettings settings,
            EpochListener listener) {
        return search(space, macro, split, settings, Order.FIRST, listener);
    }

    /** Runs the search over the NB201 space with alpha's gradient of {@code order}, otherwise the default config. */
    public static Result<Nb201Cell> search(Nb201Space space, Nb201Macro macro, Split split, TrainSettings settings,
            Order order, EpochListener listener) {
        return search(space, macro, split, settings, Config.defaults().withOrder(order), listening(listener),
                Optional.empty());
    }

    /** Runs the search over the DARTS space with alpha's gradient of {@code order}, otherwise the default config. */
    public static Result<DartsGenotype> search(DartsSpace space, DartsMacro macro, Split split, TrainSettings settings,
            Order order, EpochListener listener) {
        return search(space, macro, split, settings, Config.defaults().withOrder(order), listening(listener),
                Optional.empty());
    }

    /** Runs the search over {@code space}'s relaxed network with {@code order}, otherwise the default config. */
    public static <A extends Architecture> Result<A> search(SearchSpace<A> space, Function<Parameters, Network> relaxed,
            Split split, TrainSettings settings, Order order, EpochListener listener) {
        return search(space, relaxed, split, settings, Config.defaults().withOrder(order), listening(listener),
                Optional.empty());
    }

    /**
     * Runs (or resumes) the search over the NB201 space; see
     * {@link #search(SearchSpace, Function, Split, TrainSettings, Config, Progress, Optional)}.
     */
    public static Result<Nb201Cell> search(Nb201Space space, Nb201Macro macro, Split split, TrainSettings settings,
            Config config, Progress progress, Optional<TrainingState> resume) {
        return search(space, store -> Nb201Network.relaxed(space, macro, store), split, settings, config, progress,
                resume);
    }

    /**
     * Runs (or resumes) the search over the DARTS space; see
     * {@link #search(SearchSpace, Function, Split, TrainSettings, Config, Progress, Optional)}.
     */
    public static Result<DartsGenotype> search(DartsSpace space, DartsMacro macro, Split split, TrainSettings settings,
            Config config, Progress progress, Optional<TrainingState> resume) {
        return search(space, store -> DartsNetwork.relaxed(space, macro, store), split, settings, config, progress,
                resume);
    }

    /**
     * Runs the search over {@code space}, whose relaxed network {@code relaxed} builds on a store and
     * names its architecture weights {@link MixedOp#alphaName} of the relaxation's cells, with
     * {@code settings.threads()} native threads.
     *
     * <p>With {@code resume}, a state {@link Progress} was handed after epoch k of a search with the
     * same split sizes, settings and config, the search goes on from epoch k+1 exactly as if it had
     * never stopped. It ends after the last epoch, after an epoch for which {@code progress} returns
     * false, or after the current step if the thread is interrupted (the interrupt stays set); the
     * result says whether all epochs have run.
     *
     * @throws IllegalArgumentException if {@code resume} is not a state of this search (another
     *         network, seed, split size, settings or config), or the config's minimum learning rate
     *         exceeds the settings' learning rate
     */
    public static <A extends Architecture> Result<A> search(SearchSpace<A> space, Function<Parameters, Network> relaxed,
            Split split, TrainSettings settings, Config config, Progress progress, Optional<TrainingState> resume) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(relaxed, "relaxed");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(resume, "resume");
        if (config.minLearningRate() > settings.learningRate()) {
            throw new IllegalArgumentException("minLearningRate " + config.minLearningRate()
                    + " exceeds the learning rate " + settings.learningRate());
        }
        // Building the network first also loads ND4J's backend, which the thread setting needs.
        Run<A> run = new Run<>(space, relaxed, split, settings, config);
        try (Trainer.ThreadSetting _ = Trainer.useThreads(settings.threads())) {
            return run.run(progress, resume);
        }
    }

    private static Progress listening(EpochListener listener) {
        Objects.requireNonNull(listener, "listener");
        return (metrics, alphaSoftmax, state) -> listener.epochDone(metrics);
    }

    /** One search: the relaxed network, both optimizers and the loop. */
    private static final class Run<A extends Architecture> {

        private final SearchSpace<A> space;
        private final Split split;
        private final TrainSettings settings;
        private final Config config;
        private final Parameters store;
        private final Network net;
        private final List<String> alphaNames;
        private final int batch;
        private final int steps;
        private final Optimizer weights;
        private final Optimizer architecture = Optimizer.adam(0.5, 0.999, 1e-8, 1e-3);

        Run(SearchSpace<A> space, Function<Parameters, Network> relaxed, Split split, TrainSettings settings,
                Config config) {
            this.space = space;
            this.split = split;
            this.settings = settings;
            this.config = config;
            this.store = Parameters.of(DataType.FLOAT, settings.seed());
            this.net = relaxed.apply(store);
            this.alphaNames = space.relaxation().cells().stream().map(MixedOp::alphaName).toList();
            for (String name : alphaNames) {
                if (!store.weights().containsKey(name)) {
                    throw new IllegalArgumentException("the relaxed network has no architecture weights " + name);
                }
            }
            this.batch = Math.min(settings.batchSize(), Math.min(split.train().size(), split.validation().size()));
            this.steps = split.train().size() / batch;
            this.weights = Optimizer.of(settings);
        }

        Result<A> run(Progress progress, Optional<TrainingState> resume) {
            long start = System.nanoTime();
            int done = resume.map(this::load).orElse(0);
            List<INDArray> calibration = Trainer.calibrationBatches(split.train(), batch,
                    settings.calibrationBatches());
            List<EpochMetrics> history = new ArrayList<>();
            double accuracy = Double.NaN;
            long parameters = net.parameterCount();
            double total = (double) settings.epochs() * steps;
            for (int epoch = done + 1; epoch <= settings.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                EpochBatches train = new EpochBatches(split.train(), batch, epochRandom(TRAIN_ORDER, epoch),
                        settings.augmentation(), epochRandom(AUGMENT, epoch));
                EpochBatches validation = new EpochBatches(split.validation(), batch,
                        epochRandom(VALIDATION_ORDER, epoch), Augmentation.none(), epochRandom(AUGMENT, -epoch));
                double lambda = config.guardStrength(epoch, settings.epochs());
                double lossSum = 0;
                long correct = 0;
                for (int s = 0; s < steps; s++) {
                    EpochBatches.Batch v = validation.get(s % validation.size());
                    EpochBatches.Batch t = train.get(s);
                    int iteration = (epoch - 1) * steps + s;
                    double rate = config.minLearningRate() + 0.5 * (settings.learningRate() - config.minLearningRate())
                            * (1 + Math.cos(Math.PI * iteration / total));
                    Map<String, INDArray> alphaGradient;
                    if (config.order() == Order.SECOND) {
                        alphaGradient = secondOrderAlphaGradient(net, t, v, rate, settings.weightDecay(),
                                HESSIAN_RADIUS);
                    } else {
                        net.backward(v.images(), v.labels());
                        alphaGradient = only(store.gradients(), true);
                    }
                    if (lambda > 0) {
                        addBetaDecay(alphaGradient, lambda);
                    }
                    architecture.step(store.weights(), alphaGradient, config.alphaLearningRate());
                    SoftmaxCrossEntropy.Result r = net.backward(t.images(), t.labels());
                    if (!Double.isFinite(r.loss()) || r.loss() > 1e3) {
                        return result(new TrainingResult(false, Double.NaN, parameters, seconds(start), history,
                                Optional.of("loss diverged to " + r.loss() + " at epoch " + epoch + ", step "
                                        + (s + 1))), false);
                    }
                    Map<String, INDArray> weightGradient = only(store.gradients(), false);
                    clipGlobalNorm(weightGradient, GRADIENT_CLIP);
                    weights.step(store.weights(), weightGradient, rate);
                    lossSum += r.loss();
                    correct += r.correct();
                    if (Thread.currentThread().isInterrupted()) {
                        return result(new TrainingResult(true, accuracy, parameters, seconds(start), history,
                                Optional.empty()), false);
                    }
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                accuracy = Trainer.accuracy(net.recalibrate(calibration), split.validation());
                EpochMetrics m = new EpochMetrics(epoch, lossSum / steps, correct / (double) (steps * batch), accuracy,
                        (System.nanoTime() - epochStart) / 1e9, steps * batch / trainSeconds);
                history.add(m);
                if (!progress.epochDone(m, alphaSoftmax(), state(epoch)) && epoch < settings.epochs()) {
                    return result(new TrainingResult(true, accuracy, parameters, seconds(start), history,
                            Optional.empty()), false);
                }
            }
            return result(new TrainingResult(true, accuracy, parameters, seconds(start), history, Optional.empty()),
                    true);
        }

        private Result<A> result(TrainingResult training, boolean completed) {
            double[][][] alpha = alpha();
            return new Result<>(space.discretize(alpha), alpha, training, completed);
        }

        /** A generator for one purpose ({@code salt}) in one epoch, from the seed alone. */
        private SplittableRandom epochRandom(long salt, int epoch) {
            return new SplittableRandom(mix(mix(settings.seed() ^ salt) + epoch));
        }

        /** Adds Beta-Decay's gradient, λ softmax(alpha_e) / edges on each edge e of every cell, to alpha's. */
        private void addBetaDecay(Map<String, INDArray> alphaGradient, double lambda) {
            for (String name : alphaNames) {
                INDArray alpha = store.weights().get(name);
                INDArray g = Nd4j.create(betaDecayGradient(alpha.toDoubleMatrix(), lambda)).castTo(alpha.dataType());
                alphaGradient.merge(name, g, INDArray::addi);
            }
        }

        private double[][][] alpha() {
            return alphaNames.stream().map(n -> store.weights().get(n).toDoubleMatrix()).toArray(double[][][]::new);
        }

        private double[][][] alphaSoftmax() {
            double[][][] a = alpha();
            for (double[][] cell : a) {
                for (int e = 0; e < cell.length; e++) {
                    cell[e] = Relaxation.softmax(cell[e]);
                }
            }
            return a;
        }

        /** Everything needed to continue after {@code epoch}, copied. */
        private TrainingState state(int epoch) {
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            store.weights().forEach((name, w) -> arrays.put(WEIGHT + name, w.dup()));
            store.buffers().forEach((name, b) -> arrays.put(BUFFER + name, b.dup()));
            weights.state().forEach((key, a) -> arrays.put(WEIGHT_OPTIMIZER + key, a));
            architecture.state().forEach((key, a) -> arrays.put(ALPHA_OPTIMIZER + key, a));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", STATE_FORMAT);
            meta.put("epoch", String.valueOf(epoch));
            meta.putAll(fingerprint());
            return new TrainingState(arrays, meta);
        }

        /** What a state must have been saved with for a resume to be exact. */
        private Map<String, String> fingerprint() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("seed", String.valueOf(settings.seed()));
            f.put("epochs", String.valueOf(settings.epochs()));
            f.put("batchSize", String.valueOf(batch));
            f.put("optimizer", settings.optimizer().configName());
            f.put("learningRate", String.valueOf(settings.learningRate()));
            f.put("momentum", String.valueOf(settings.momentum()));
            f.put("weightDecay", String.valueOf(settings.weightDecay()));
            f.put("augmentation", settings.augmentation().toString());
            f.put("trainSize", String.valueOf(split.train().size()));
            f.put("validationSize", String.valueOf(split.validation().size()));
            f.put("order", config.order().name());
            f.put("guard", config.guard().name());
            f.put("guardWeight", String.valueOf(config.guardWeight()));
            f.put("minLearningRate", String.valueOf(config.minLearningRate()));
            f.put("alphaLearningRate", String.valueOf(config.alphaLearningRate()));
            return f;
        }

        /** Restores {@code state} into the network and optimizers; returns the epochs it had run. */
        private int load(TrainingState state) {
            if (!STATE_FORMAT.equals(state.metadata().get("format"))) {
                throw new IllegalArgumentException("not the state of a DARTS search: format "
                        + state.metadata().get("format"));
            }
            fingerprint().forEach((key, value) -> {
                if (!value.equals(state.metadata().get(key))) {
                    throw new IllegalArgumentException("cannot resume: the state was saved with " + key + " = "
                            + state.metadata().get(key) + ", this search has " + value);
                }
            });
            restore("weight", state.under(WEIGHT), store.weights());
            restore("buffer", state.under(BUFFER), store.buffers());
            weights.load(state.under(WEIGHT_OPTIMIZER));
            architecture.load(state.under(ALPHA_OPTIMIZER));
            int epoch = Integer.parseInt(state.meta("epoch"));
            if (epoch < 0 || epoch > settings.epochs()) {
                throw new IllegalArgumentException("cannot resume after epoch " + epoch + " of " + settings.epochs());
            }
            return epoch;
        }

        private static void restore(String kind, Map<String, INDArray> saved, Map<String, INDArray> into) {
            if (!saved.keySet().equals(into.keySet())) {
                List<String> missing = into.keySet().stream().filter(k -> !saved.containsKey(k)).limit(3).toList();
                List<String> extra = saved.keySet().stream().filter(k -> !into.containsKey(k)).limit(3).toList();
                throw new IllegalArgumentException("the state does not fit this network: " + kind + "s missing "
                        + missing + ", unknown " + extra);
            }
            saved.forEach((name, a) -> {
                INDArray target = into.get(name);
                if (!Arrays.equals(target.shape(), a.shape())) {
                    throw new IllegalArgumentException("the state does not fit this network: " + kind + " " + name
                            + " has shape " + Arrays.toString(a.shape()) + ", the network's "
                            + Arrays.toString(target.shape()));
                }
                target.assign(a);
            });
        }

        private static double seconds(long start) {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** A 64-bit finalizer (SplitMix64's), so nearby seeds and epochs give unrelated generators. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The gradient of λ L_β, L_β = mean over edges of log(sum_k exp(alpha[e][k])), with respect to
     * {@code alpha} ([edges][ops]): λ softmax(alpha[e]) / edges on each row.
     */
    static double[][] betaDecayGradient(double[][] alpha, double lambda) {
        double[][] g = new double[alpha.length][];
        for (int e = 0; e < alpha.length; e++) {
            g[e] = Relaxation.softmax(alpha[e]);
            for (int k = 0; k < g[e].length; k++) {
                g[e][k] *= lambda / alpha.length;
            }
        }
        return g;
    }

    /**
     * Scales {@code gradients} in place so that their global L2 norm is at most {@code maxNorm}, as
     * PyTorch's {@code clip_grad_norm_} (factor maxNorm / (norm + 1e-6) when below 1); returns the
     * norm before clipping.
     */
    static double clipGlobalNorm(Map<String, INDArray> gradients, double maxNorm) {
        double squares = 0;
        for (INDArray g : gradients.values()) {
            double n = g.norm2Number().doubleValue();
            squares += n * n;
        }
        double norm = Math.sqrt(squares);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (INDArray g : gradients.values()) {
                g.muli(factor);
            }
        }
        return norm;
    }

    /**
     * DARTS's second-order gradient of the validation loss with respect to alpha:
     * grad_a L_val(w', a) - xi (grad_a L_train(w+, a) - grad_a L_train(w-, a)) / (2 eps), with
     * w' = w - xi (grad_w L_train(w, a) + wd w), w± = w ± eps grad_w' L_val(w', a) and
     * eps = radius / |grad_w' L_val| (DARTS takes radius 0.01, which float precision needs; the
     * difference quotient is exact only as the radius goes to zero, see DartsSearchTest).
     * The weights are left as they were.
     */
    static Map<String, INDArray> secondOrderAlphaGradient(Network net, EpochBatches.Batch train,
            EpochBatches.Batch validation, double xi, double weightDecay, double radius) {
        Parameters store = net.store();
        Map<String, INDArray> original = new HashMap<>();
        store.weights().forEach((name, w) -> {
            if (!MixedOp.isAlpha(name)) {
                original.put(name, w.dup());
            }
        });
        try {
            net.backward(train.images(), train.labels());
            Map<String, INDArray> trainGrad = only(store.gradients(), false);
            original.forEach((name, w0) -> {
                INDArray g = trainGrad.get(name);
                INDArray step = w0.mul(weightDecay);
                if (g != null) {
                    step.addi(g);
                }
                store.weights().get(name).assign(w0.sub(step.muli(xi)));
            });
            net.backward(validation.images(), validation.labels());
            Map<String, INDArray> gradient = copy(only(store.gradients(), true));
            Map<String, INDArray> direction = new HashMap<>();
            double norm = 0;
            for (Map.Entry<String, INDArray> e : only(store.gradients(), false).entrySet()) {
                direction.put(e.getKey(), e.getValue().dup());
                norm += e.getValue().norm2Number().doubleValue() * e.getValue().norm2Number().doubleValue();
            }
            double eps = radius / Math.max(Math.sqrt(norm), 1e-12);
            List<Map<String, INDArray>> sides = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                double sign = side == 0 ? eps : -eps;
                original.forEach((name, w0) -> {
                    INDArray d = direction.get(name);
                    store.weights().get(name).assign(d == null ? w0 : w0.add(d.mul(sign)));
                });
                net.backward(train.images(), train.labels());
                sides.add(copy(only(store.gradients(), true)));
            }
            gradient.forEach((name, g) -> g.subi(sides.get(0).get(name).subi(sides.get(1).get(name))
                    .muli(xi / (2 * eps))));
            return gradient;
        } finally {
            original.forEach((name, w0) -> store.weights().get(name).assign(w0));
        }
    }

    /** The gradients of the architecture weights ({@code arch}) or of all others. */
    private static Map<String, INDArray> only(Map<String, INDArray> gradients, boolean arch) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        gradients.forEach((name, g) -> {
            if (MixedOp.isAlpha(name) == arch) {
                out.put(name, g);
            }
        });
        return out;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> out = new HashMap<>();
        arrays.forEach((name, a) -> out.put(name, a.dup()));
        return out;
    }
}
