package org.cellforge.evaluator.supernet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DARTS on a cell search space (NB201, or the DARTS space with normal and reduction cells): every edge mixes all candidate operations by softmax(alpha); network
 * weights step on training batches, alpha on validation batches, in alternation; the genotype
 * keeps each edge's strongest operation. Alpha's optimizer is DARTS's: Adam, learning rate 3e-4,
 * betas (0.5, 0.999), weight decay 1e-3.
 *
 * <p>First order takes alpha's gradient of the validation loss at the current weights. Second
 * order takes it at the weights after one virtual SGD step on the training batch, w' = w - xi
 * (grad_w L_train + wd w) with xi the current learning rate, and corrects for the weights'
 * dependence on alpha with DARTS's finite-difference Hessian-vector product.
 */
public final class DartsSearch {

    /** Size of the weight perturbation of the finite-difference Hessian-vector product, as DARTS. */
    static final double HESSIAN_RADIUS = 0.01;

    /** Learning rate of alpha, as DARTS. */
    public static final double ALPHA_LEARNING_RATE = 3e-4;

    private DartsSearch() {
    }

    /**
     * What a DARTS search found.
     *
     * @param genotype the discrete architecture the space's rule picks from alpha
     * @param alpha the architecture logits, [cell][edge][op] in the space's relaxation order
     * @param training per-epoch metrics; validation accuracy is the relaxed network's, a supernet estimate
     * @param <A> the space's architecture type
     */
    public record Result<A extends Architecture>(A genotype, double[][][] alpha, TrainingResult training) {
    }

    /** How alpha's gradient is taken. */
    public enum Order {
        /** At the current weights (DARTS first order). */
        FIRST,
        /** Through one virtual weight step (DARTS second order; about five passes per step instead of two). */
        SECOND
    }

    /** Runs the first-order search over the NB201 space on {@code split} with {@code settings} for the weights. */
    public static Result<Nb201Cell> search(Nb201Space space, Nb201Macro macro, Split split, TrainSettings settings,
            EpochListener listener) {
        return search(space, macro, split, settings, Order.FIRST, listener);
    }

    /** Runs the search over the NB201 space with alpha's gradient of {@code order}. */
    public static Result<Nb201Cell> search(Nb201Space space, Nb201Macro macro, Split split, TrainSettings settings,
            Order order, EpochListener listener) {
        return search(space, store -> Nb201Network.relaxed(space, macro, store), split, settings, order, listener);
    }

    /** Runs the search over the DARTS space (normal and reduction cells) with alpha's gradient of {@code order}. */
    public static Result<DartsGenotype> search(DartsSpace space, DartsMacro macro, Split split, TrainSettings settings,
            Order order, EpochListener listener) {
        return search(space, store -> DartsNetwork.relaxed(space, macro, store), split, settings, order, listener);
    }

    /**
     * Runs the search over {@code space}, whose relaxed network {@code relaxed} builds on a store and
     * names its architecture weights {@link MixedOp#alphaName} of the relaxation's cells.
     */
    public static <A extends Architecture> Result<A> search(SearchSpace<A> space, Function<Parameters, Network> relaxed,
            Split split, TrainSettings settings, Order order, EpochListener listener) {
        long start = System.nanoTime();
        Parameters store = Parameters.of(DataType.FLOAT, settings.seed());
        Network net = relaxed.apply(store);
        List<String> alphaNames = space.relaxation().cells().stream().map(MixedOp::alphaName).toList();
        int batch = Math.min(settings.batchSize(), Math.min(split.train().size(), split.validation().size()));
        Optimizer weights = Optimizer.of(settings);
        Optimizer architecture = Optimizer.adam(0.5, 0.999, 1e-8, 1e-3);
        SplittableRandom trainOrder = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
        SplittableRandom validationOrder = new SplittableRandom(settings.seed() ^ 0x27BB2EE687B0B0FDL);
        SplittableRandom augment = new SplittableRandom(settings.seed() ^ 0x2545F4914F6CDD1DL);
        int steps = split.train().size() / batch;
        double total = (double) settings.epochs() * steps;
        List<EpochMetrics> history = new ArrayList<>();
        double accuracy = Double.NaN;
        long parameters = net.parameterCount();
        int iteration = 0;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            EpochBatches train = new EpochBatches(split.train(), batch, trainOrder, settings.augmentation(), augment);
            EpochBatches validation = new EpochBatches(split.validation(), batch, validationOrder,
                    Augmentation.none(), augment);
            double lossSum = 0;
            long correct = 0;
            for (int s = 0; s < steps; s++) {
                EpochBatches.Batch v = validation.get(s % validation.size());
                EpochBatches.Batch t = train.get(s);
                double rate = 0.5 * settings.learningRate() * (1 + Math.cos(Math.PI * iteration++ / total));
                Map<String, INDArray> alphaGradient;
                if (order == Order.SECOND) {
                    alphaGradient = secondOrderAlphaGradient(net, t, v, rate, settings.weightDecay(), HESSIAN_RADIUS);
                } else {
                    net.backward(v.images(), v.labels());
                    alphaGradient = only(store.gradients(), true);
                }
                architecture.step(store.weights(), alphaGradient, ALPHA_LEARNING_RATE);
                SoftmaxCrossEntropy.Result r = net.backward(t.images(), t.labels());
                if (!Double.isFinite(r.loss()) || r.loss() > 1e3) {
                    return new Result<>(genotype(space, store, alphaNames), alpha(store, alphaNames),
                            new TrainingResult(false, Double.NaN, parameters, (System.nanoTime() - start) / 1e9,
                                    history, Optional.of("loss diverged to " + r.loss() + " at epoch " + epoch
                                    + ", step " + (s + 1))));
                }
                weights.step(store.weights(), only(store.gradients(), false), rate);
                lossSum += r.loss();
                correct += r.correct();
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            accuracy = Trainer.accuracy(net, split.validation());
            EpochMetrics m = new EpochMetrics(epoch, lossSum / steps, correct / (double) (steps * batch), accuracy,
                    (System.nanoTime() - epochStart) / 1e9, steps * batch / seconds);
            history.add(m);
            listener.epochDone(m);
        }
        return new Result<>(genotype(space, store, alphaNames), alpha(store, alphaNames), new TrainingResult(true,
                accuracy, parameters, (System.nanoTime() - start) / 1e9, history, Optional.empty()));
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
        Map<String, INDArray> out = new HashMap<>();
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

    private static double[][][] alpha(Parameters store, List<String> names) {
        return names.stream().map(n -> store.weights().get(n).toDoubleMatrix()).toArray(double[][][]::new);
    }

    private static <A extends Architecture> A genotype(SearchSpace<A> space, Parameters store, List<String> names) {
        return space.discretize(alpha(store, names));
    }
}
