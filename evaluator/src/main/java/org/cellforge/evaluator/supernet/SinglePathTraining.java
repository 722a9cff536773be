package org.cellforge.evaluator.supernet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Supplier;

import org.cellforge.evaluator.Augmentation;
import org.cellforge.evaluator.EpochMetrics;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.data.EpochBatches;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a weight-sharing supernet one path per step (single-path one-shot, or paths a controller
 * proposes) and estimates candidates on its weights. Epoch by epoch, so that a search can store a
 * checkpoint after each: every epoch's batch order and augmentation derive from the seed and the
 * epoch alone, the learning rate from the global step, and {@link #state()} holds weights, BatchNorm
 * statistics and optimizer state, so a training restored from a state continues step for step.
 *
 * @param <A> the architecture type whose networks are the supernet's paths
 */
public final class SinglePathTraining<A> {

    private static final String WEIGHT = "weight/";
    private static final String BUFFER = "buffer/";
    private static final String OPTIMIZER = "optimizer/";
    private static final int FORMAT = 1;

    private final Parameters store;
    private final Function<A, Network> path;
    private final Split split;
    private final TrainSettings settings;
    private final Optimizer optimizer;
    private final List<INDArray> calibration;
    private final int batch;
    private final int steps;

    /**
     * A training of the supernet on {@code store}, whose path for an architecture {@code path} builds,
     * on {@code split} with {@code settings} ({@code settings.epochs()} epochs in all).
     */
    public SinglePathTraining(Parameters store, Function<A, Network> path, Split split, TrainSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.path = Objects.requireNonNull(path, "path");
        this.split = Objects.requireNonNull(split, "split");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.optimizer = Optimizer.of(settings);
        this.batch = Math.min(settings.batchSize(), Math.min(split.train().size(), split.validation().size()));
        this.steps = split.train().size() / batch;
        this.calibration = Trainer.calibrationBatches(split.train(), settings.batchSize(),
                settings.calibrationBatches());
    }

    /**
     * Trains epoch {@code epoch} (one-based): each step trains the path of {@code paths.get()} on the
     * next training batch; with {@code reward}, that path's accuracy on the next validation batch
     * (training-mode BatchNorm, no update) is handed to it after the step.
     *
     * @return the epoch's metrics; the validation accuracy is the supernet estimate of the epoch's last path
     * @throws CancellationException if the thread is interrupted
     * @throws IllegalStateException if the loss diverges
     */
    public EpochMetrics epoch(int epoch, Supplier<A> paths, Optional<ObjDoubleConsumer<A>> reward) {
        if (epoch < 1 || epoch > settings.epochs()) {
            throw new IllegalArgumentException("epoch must be in 1.." + settings.epochs() + ", got " + epoch);
        }
        try (Trainer.ThreadSetting _ = Trainer.useThreads(settings.threads())) {
            long start = System.nanoTime();
            long mix = settings.seed() ^ (0x9E3779B97F4A7C15L * epoch);
            EpochBatches train = new EpochBatches(split.train(), batch, new SplittableRandom(mix ^ 0x5DEECE66DL),
                    settings.augmentation(), new SplittableRandom(mix ^ 0x2545F4914F6CDD1DL));
            EpochBatches validation = reward.isPresent() ? new EpochBatches(split.validation(), batch,
                    new SplittableRandom(mix ^ 0x27BB2EE687B0B0FDL), Augmentation.none(),
                    new SplittableRandom(mix)) : null;
            double lossSum = 0;
            long correct = 0;
            A last = null;
            for (int s = 0; s < steps; s++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("the supernet training was cancelled");
                }
                A a = paths.get();
                Network net = path.apply(a);
                EpochBatches.Batch b = train.get(s);
                SoftmaxCrossEntropy.Result r = net.backward(b.images(), b.labels());
                if (!Double.isFinite(r.loss()) || r.loss() > 1e3) {
                    throw new IllegalStateException("the supernet's loss diverged to " + r.loss() + " at epoch "
                            + epoch + ", step " + (s + 1));
                }
                optimizer.step(store.weights(), store.gradients(), learningRate((epoch - 1) * steps + s));
                lossSum += r.loss();
                correct += r.correct();
                if (validation != null) {
                    EpochBatches.Batch v = validation.get(s % validation.size());
                    INDArray predicted = net.trainingLogits(v.images()).argMax(1);
                    int hits = 0;
                    for (int i = 0; i < v.labels().length; i++) {
                        hits += predicted.getInt(i) == v.labels()[i] ? 1 : 0;
                    }
                    reward.get().accept(a, hits / (double) v.labels().length);
                }
                last = a;
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double estimate = last == null ? Double.NaN : estimate(last);
            return new EpochMetrics(epoch, lossSum / steps, correct / (double) ((long) steps * batch), estimate,
                    (System.nanoTime() - start) / 1e9, (long) steps * batch / trainSeconds);
        }
    }

    /** Cosine from the initial rate to zero over all epochs' steps, as stand-alone training. */
    private double learningRate(int iteration) {
        double progress = Math.min(iteration, settings.epochs() * steps) / (double) (settings.epochs() * steps);
        return 0.5 * settings.learningRate() * (1 + Math.cos(Math.PI * progress));
    }

    /**
     * Validation accuracy of {@code architecture} on the supernet's weights after its BatchNorm
     * statistics are recomputed on training batches: a supernet estimate.
     */
    public double estimate(A architecture) {
        try (Trainer.ThreadSetting _ = Trainer.useThreads(settings.threads())) {
            return Trainer.accuracy(path.apply(architecture).recalibrate(calibration), split.validation());
        }
    }

    /** Trainable scalars of the supernet as built so far (every path's weights once). */
    public long parameterCount() {
        return store.weights().values().stream().mapToLong(INDArray::length).sum();
    }

    /** The whole training state: weights, BatchNorm statistics and the optimizer's state. */
    public TrainingState state() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        store.weights().forEach((name, w) -> arrays.put(WEIGHT + name, w));
        store.buffers().forEach((name, b) -> arrays.put(BUFFER + name, b));
        optimizer.state().forEach((name, a) -> arrays.put(OPTIMIZER + name, a));
        return new TrainingState(arrays, Map.of("format", "cellforge-single-path-training/" + FORMAT));
    }

    /**
     * Continues from {@code state}: every weight and statistic it holds replaces the store's, and the
     * optimizer takes its state.
     *
     * @throws IllegalArgumentException if the state is of another kind of training or another supernet
     */
    public void restore(TrainingState state) {
        if (!("cellforge-single-path-training/" + FORMAT).equals(state.metadata().get("format"))) {
            throw new IllegalArgumentException("not a single-path training state: " + state.metadata());
        }
        restore(state.under(WEIGHT), store.weights(), "weight");
        restore(state.under(BUFFER), store.buffers(), "statistic");
        optimizer.load(state.under(OPTIMIZER));
    }

    private static void restore(Map<String, INDArray> saved, Map<String, INDArray> live, String what) {
        for (Map.Entry<String, INDArray> e : saved.entrySet()) {
            INDArray mine = live.get(e.getKey());
            if (mine == null || !java.util.Arrays.equals(mine.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("the state's " + what + " " + e.getKey()
                        + " does not fit this supernet");
            }
            mine.assign(e.getValue());
        }
    }
}
