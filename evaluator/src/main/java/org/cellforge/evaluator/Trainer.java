package org.cellforge.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.EpochBatches;
import org.cellforge.evaluator.data.Split;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Trains a network on the training split and measures it on the validation split after every
 * epoch. A diverging loss ends the trial as failed with the reason instead of throwing, so a
 * search goes on.
 */
public final class Trainer {

    /** A loss above this is treated as divergence: cross-entropy over ten classes starts near 2.3. */
    static final double DIVERGED_LOSS = 1e3;

    private static final int EVAL_BATCH = 500;

    private Trainer() {
    }

    /**
     * OpenMP's thread count when this class was loaded: a training with {@code threads = 0} runs with
     * it, whatever an earlier training set. OpenMP's count is what the oneDNN kernels follow (ND4J's
     * {@code Environment.setMaxThreads} leaves it unchanged), and it belongs to the calling thread, so
     * trials training at once on several threads each keep their own.
     */
    private static final int DEFAULT_THREADS = defaultThreads();

    private static int defaultThreads() {
        // NativeOpsHolder reads the backend's properties, which exist only once ND4J has loaded its
        // backend: a process whose first use of ND4J is a thread setting (a NASWOT warm start) failed.
        org.nd4j.linalg.factory.Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * Applies a training's thread setting (0: the default) to the calling thread until
     * {@link ThreadSetting#close()} puts back what was set before, so one search's setting never leaks
     * into the next.
     */
    public static ThreadSetting useThreads(int threads) {
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(threads > 0 ? threads : DEFAULT_THREADS);
        return () -> ops.setOmpNumThreads(before);
    }

    /** The scope of a thread setting; closing it restores the previous one. */
    @FunctionalInterface
    public interface ThreadSetting extends AutoCloseable {
        @Override
        void close();
    }

    /** The native thread count in force on the calling thread. */
    public static int threads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * Trains {@code net} with {@code settings}, reporting each epoch to {@code listener}. Before each
     * validation the BatchNorm statistics are recomputed on {@code calibrationBatches} training
     * batches: after the few steps of a NAS trial, momentum-averaged statistics still lag far
     * behind the weights and understate what the architecture has learned.
     */
    public static TrainingResult train(Network net, Split split, TrainSettings settings, EpochListener listener) {
        List<INDArray> calibration = calibrationBatches(split.train(), settings.batchSize(),
                settings.calibrationBatches());
        return train(random -> net, () -> net.recalibrate(calibration), net.parameterCount(), split.train(),
                Optional.of(split.validation()), settings, listener);
    }

    /**
     * Trains {@code net} on all of {@code train} with no validation after the epochs (their metrics
     * carry NaN), then recomputes its BatchNorm statistics: the final retraining, whose network is
     * measured once on the test split afterwards.
     */
    public static TrainingResult trainWithoutValidation(Network net, ImageSet train, TrainSettings settings,
            EpochListener listener) {
        List<INDArray> calibration = calibrationBatches(train, settings.batchSize(), settings.calibrationBatches());
        TrainingResult result = train(random -> net, () -> net, net.parameterCount(), train, Optional.empty(),
                settings, listener);
        if (result.succeeded()) {
            net.recalibrate(calibration);
        }
        return result;
    }

    /**
     * The training loop behind every mode: each step trains the network {@code stepNetwork} gives
     * for it (a supernet draws a path from the generator it is handed), and after each epoch
     * {@code evaluated} gives the network measured on the validation split.
     *
     * @param parameters the trainable parameter count reported with the result
     */
    public static TrainingResult train(Function<SplittableRandom, Network> stepNetwork, Supplier<Network> evaluated,
            long parameters, Split split, TrainSettings settings, EpochListener listener) {
        return train(stepNetwork, evaluated, parameters, split.train(), Optional.of(split.validation()), settings,
                listener);
    }

    private static TrainingResult train(Function<SplittableRandom, Network> stepNetwork, Supplier<Network> evaluated,
            long parameters, ImageSet train, Optional<ImageSet> validation, TrainSettings settings,
            EpochListener listener) {
        try (ThreadSetting _ = useThreads(settings.threads())) {
            return trainWithThreads(stepNetwork, evaluated, parameters, train, validation, settings, listener);
        }
    }

    private static TrainingResult trainWithThreads(Function<SplittableRandom, Network> stepNetwork,
            Supplier<Network> evaluated, long parameters, ImageSet train, Optional<ImageSet> validation,
            TrainSettings settings, EpochListener listener) {
        long start = System.nanoTime();
        int batch = Math.min(settings.batchSize(), train.size());
        int stepsPerEpoch = train.size() / batch;
        int epochs = settings.epochs();
        CosineSchedule schedule = new CosineSchedule(settings.learningRate(), epochs * stepsPerEpoch);
        Optimizer optimizer = Optimizer.of(settings);
        SplittableRandom order = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        SplittableRandom augment = new SplittableRandom(settings.seed() ^ 0x2545F4914F6CDD1DL);
        SplittableRandom paths = new SplittableRandom(settings.seed() ^ 0x9E3779B97F4A7C15L);
        int iteration = 0;
        List<EpochMetrics> history = new ArrayList<>();
        double accuracy = Double.NaN;
        try {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                EpochBatches batches = new EpochBatches(train, batch, order, settings.augmentation(), augment);
                double lossSum = 0;
                long correct = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    EpochBatches.Batch b = batches.get(s);
                    Network net = stepNetwork.apply(paths);
                    SoftmaxCrossEntropy.Result r = net.backward(b.images(), b.labels());
                    if (!Double.isFinite(r.loss()) || r.loss() > DIVERGED_LOSS) {
                        return failed(parameters, start, history, "loss diverged to " + r.loss() + " at epoch "
                                + epoch + ", step " + (s + 1));
                    }
                    optimizer.step(net.store().weights(), net.store().gradients(), schedule.valueAt(iteration++));
                    lossSum += r.loss();
                    correct += r.correct();
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                accuracy = validation.isPresent() ? accuracy(evaluated.get(), validation.get()) : Double.NaN;
                EpochMetrics m = new EpochMetrics(epoch, lossSum / stepsPerEpoch,
                        correct / (double) (stepsPerEpoch * batch), accuracy, (System.nanoTime() - epochStart) / 1e9,
                        stepsPerEpoch * batch / trainSeconds);
                history.add(m);
                if (!listener.epochDone(m)) {
                    // Stopped early: the result is what the network measured after this epoch.
                    break;
                }
                int planned = listener.epochs(m, epochs);
                if (planned != epochs) {
                    // Cosine annealing depends only on the fraction of steps taken: stretched or shrunk,
                    // its rate steps up or down at once (by a hair after the first epoch, more when a
                    // busy machine halves what is left), then still ends at zero on the new last step,
                    // unless the plan ends with this epoch.
                    epochs = Math.max(epoch, planned);
                    schedule = new CosineSchedule(settings.learningRate(), epochs * stepsPerEpoch);
                }
            }
        } catch (RuntimeException e) {
            return failed(parameters, start, history, "training failed: " + e);
        }
        return new TrainingResult(true, accuracy, parameters, (System.nanoTime() - start) / 1e9, history,
                Optional.empty());
    }

    private static TrainingResult failed(long parameters, long start, List<EpochMetrics> history, String reason) {
        return new TrainingResult(false, Double.NaN, parameters, (System.nanoTime() - start) / 1e9, history,
                Optional.of(reason));
    }

    /** Top-1 accuracy on {@code data} with running BatchNorm statistics. */
    public static double accuracy(Network net, ImageSet data) {
        return accuracy(net, data, TestTimeAugmentation.NONE);
    }

    /** Top-1 accuracy on {@code data} with running BatchNorm statistics, predicted as {@code tta} says. */
    public static double accuracy(Network net, ImageSet data, TestTimeAugmentation tta) {
        long correct = 0;
        for (int start = 0; start < data.size(); start += EVAL_BATCH) {
            int end = Math.min(data.size(), start + EVAL_BATCH);
            INDArray predicted = tta.logits(net, data, start, end).argMax(1);
            for (int i = start; i < end; i++) {
                if (predicted.getInt(i - start) == data.labels()[i]) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }

    /**
     * The first {@code batches} training batches of {@code batch} images (all images in one batch if
     * there are fewer), for BatchNorm recalibration.
     */
    public static List<INDArray> calibrationBatches(ImageSet train, int requestedBatch, int batches) {
        int batch = Math.min(requestedBatch, train.size());
        List<INDArray> out = new ArrayList<>();
        for (int start = 0; start + batch <= train.size() && out.size() < batches; start += batch) {
            out.add(Batches.range(train, start, start + batch));
        }
        return out;
    }
}
