package org.cellforge.evaluator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.data.Shuffle;
import org.cellforge.evaluator.data.Split;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.space.nb201.Nb201Cell;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains an NB201 network stand-alone on a train/validation split and reports validation
 * accuracy. A diverging loss ends the trial as failed instead of throwing, so a search goes on.
 */
public final class Nb201Trainer {

    /** A loss above this is treated as divergence: cross-entropy over ten classes starts near 2.3. */
    static final double DIVERGED_LOSS = 1e3;

    private static final int EVAL_BATCH = 500;

    private Nb201Trainer() {
    }

    /** Trains {@code cell} with {@code settings}, reporting each epoch to {@code listener}. */
    public static TrainingResult train(Nb201Cell cell, Nb201Macro macro, Split split, TrainSettings settings,
            EpochListener listener) {
        long start = System.nanoTime();
        if (settings.threads() > 0) {
            Nd4j.getEnvironment().setMaxThreads(settings.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(settings.threads());
        }
        Nb201Network net = Nb201Network.create(cell, macro, settings.seed());
        ImageSet train = split.train();
        int batch = Math.min(settings.batchSize(), train.size());
        int stepsPerEpoch = train.size() / batch;
        SameDiff sd = net.trainingGraph();
        CosineSchedule schedule = new CosineSchedule(settings.learningRate(), settings.epochs() * stepsPerEpoch);
        SgdNesterov optimizer = new SgdNesterov(settings.momentum(), settings.weightDecay());
        List<String> trainable = List.copyOf(net.parameters().keySet());
        List<String> outputs = List.of(Nb201Network.LOSS, Nb201Network.LOGITS);
        SplittableRandom order = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        int iteration = 0;
        List<EpochMetrics> history = new ArrayList<>();
        double accuracy = Double.NaN;
        try {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                int[] perm = Shuffle.permutation(train.size(), order);
                double lossSum = 0;
                long correct = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] idx = Arrays.copyOfRange(perm, s * batch, (s + 1) * batch);
                    ImageSet b = train.select(idx);
                    OutAndGrad result = sd.calculateGradientsAndOutputs(
                            Map.of(Nb201Network.INPUT, features(b), Nb201Network.LABEL, oneHot(b)), outputs, trainable);
                    double loss = result.getOutputs().get(Nb201Network.LOSS).getDouble(0);
                    if (!Double.isFinite(loss) || loss > DIVERGED_LOSS) {
                        return failed(net, start, history, "loss diverged to " + loss + " at epoch " + epoch
                                + ", step " + (s + 1));
                    }
                    optimizer.step(net.parameters(), result.getGradients(), schedule.valueAt(iteration++, epoch - 1));
                    lossSum += loss;
                    correct += countCorrect(result.getOutputs().get(Nb201Network.LOGITS), b.labels());
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                calibrate(net, train, batch, settings.calibrationBatches());
                accuracy = accuracy(net, split.validation());
                EpochMetrics m = new EpochMetrics(epoch, lossSum / stepsPerEpoch,
                        correct / (double) (stepsPerEpoch * batch), accuracy, (System.nanoTime() - epochStart) / 1e9,
                        stepsPerEpoch * batch / trainSeconds);
                history.add(m);
                listener.epochDone(m);
            }
        } catch (RuntimeException e) {
            return failed(net, start, history, "training failed: " + e);
        }
        return new TrainingResult(true, accuracy, net.parameterCount(), (System.nanoTime() - start) / 1e9, history,
                Optional.empty());
    }

    private static TrainingResult failed(Nb201Network net, long start, List<EpochMetrics> history, String reason) {
        return new TrainingResult(false, Double.NaN, net.parameterCount(), (System.nanoTime() - start) / 1e9, history,
                Optional.of(reason));
    }

    /**
     * Estimates BatchNorm population statistics from training batches in batch mode, as a
     * long-run average would, but exactly for the final weights.
     */
    static void calibrate(Nb201Network net, ImageSet train, int batch, int batches) {
        net.syncInferenceWeights();
        List<String> outputs = new ArrayList<>();
        for (String norm : net.batchNorms().keySet()) {
            outputs.add(Nb201Network.batchMean(norm));
            outputs.add(Nb201Network.batchVariance(norm));
        }
        Map<String, INDArray> meanSum = new HashMap<>();
        Map<String, INDArray> squareSum = new HashMap<>();
        int n = 0;
        for (int start = 0; start + batch <= train.size() && n < batches; start += batch, n++) {
            Map<String, INDArray> out = net.trainingGraph()
                    .output(Map.of(Nb201Network.INPUT, features(train.select(Shuffle.range(start, start + batch)))),
                            outputs);
            for (String norm : net.batchNorms().keySet()) {
                INDArray mean = out.get(Nb201Network.batchMean(norm));
                INDArray second = out.get(Nb201Network.batchVariance(norm)).add(mean.mul(mean));
                meanSum.merge(norm, mean.dup(), INDArray::addi);
                squareSum.merge(norm, second, INDArray::addi);
            }
        }
        for (String norm : net.batchNorms().keySet()) {
            INDArray mean = meanSum.get(norm).div(n);
            INDArray variance = squareSum.get(norm).div(n).sub(mean.mul(mean));
            net.setPopulationStatistics(norm, mean, variance);
        }
    }

    /** Top-1 accuracy of the inference graph on {@code data}. */
    public static double accuracy(Nb201Network net, ImageSet data) {
        long correct = 0;
        for (int start = 0; start < data.size(); start += EVAL_BATCH) {
            int end = Math.min(data.size(), start + EVAL_BATCH);
            ImageSet b = data.select(Shuffle.range(start, end));
            INDArray logits = net.inferenceGraph().outputSingle(Map.of(Nb201Network.INPUT, features(b)),
                    Nb201Network.LOGITS);
            correct += countCorrect(logits, b.labels());
        }
        return correct / (double) data.size();
    }

    private static long countCorrect(INDArray logits, int[] labels) {
        INDArray predicted = logits.argMax(1);
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    static INDArray features(ImageSet b) {
        return Nd4j.create(b.pixels(), new long[] {b.size(), b.channels(), b.height(), b.width()}, 'c');
    }

    static INDArray oneHot(ImageSet b) {
        float[] y = new float[b.size() * b.classes()];
        for (int i = 0; i < b.size(); i++) {
            y[i * b.classes() + b.labels()[i]] = 1f;
        }
        return Nd4j.create(y, new long[] {b.size(), b.classes()}, 'c');
    }
}
