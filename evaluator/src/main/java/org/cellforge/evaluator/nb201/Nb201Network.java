package org.cellforge.evaluator.nb201;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NAS-Bench-201 macro network for one cell: a 3x3 stem convolution with BatchNorm, three
 * stages of N cells at C, 2C and 4C channels joined by stride-2 ResNet basic blocks, then
 * BatchNorm, ReLU, global average pooling and a linear classifier.
 *
 * <p>Two SameDiff graphs share one set of weights: the training graph normalizes with batch
 * statistics; the inference graph with population statistics that {@link #setPopulationStatistics}
 * fills in. Keeping them apart avoids a mode switch inside the graph, which SameDiff lacks.
 * Convolution weights are stored as [kH, kW, in, out], the layout whose backward pass this ND4J
 * release supports (exporters transpose to [out, in, kH, kW]); they are initialized as PyTorch
 * does, so the network matches the PyTorch reference parameter for parameter.
 */
public final class Nb201Network {

    /** Placeholder name of the image batch, NCHW. */
    public static final String INPUT = "input";

    /** Placeholder name of the one-hot labels (training graph only). */
    public static final String LABEL = "label";

    /** Output name of the class scores before softmax. */
    public static final String LOGITS = "logits";

    /** Name of the scalar training loss. */
    public static final String LOSS = "loss";

    private static final double BN_EPSILON = 1e-5;

    private final Nb201Cell cell;
    private final OpRegistry ops;
    private final Nb201Macro macro;
    private final DataType dtype;
    private final Map<String, INDArray> parameters = new LinkedHashMap<>();
    private final Map<String, Integer> norms = new LinkedHashMap<>();
    private final Map<String, INDArray> populationStatistics = new LinkedHashMap<>();
    private final SameDiff training;
    private final SameDiff inference;

    private Nb201Network(OpRegistry ops, Nb201Cell cell, Nb201Macro macro, long seed, DataType dtype) {
        this.ops = ops;
        this.cell = cell;
        this.macro = macro;
        this.dtype = dtype;
        SplittableRandom random = new SplittableRandom(seed);
        this.training = new Builder(true, random).build();
        this.inference = new Builder(false, random).build();
    }

    /**
     * Builds the network with weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if the cell uses an operation this builder cannot make
     */
    public static Nb201Network create(Nb201Cell cell, Nb201Macro macro, long seed) {
        return create(cell, macro, seed, DataType.FLOAT);
    }

    /**
     * Builds the network in another floating-point type; double precision serves gradient checks,
     * float is what training uses.
     */
    public static Nb201Network create(Nb201Cell cell, Nb201Macro macro, long seed, DataType dtype) {
        return create(OpRegistry.builtIn(), cell, macro, seed, dtype);
    }

    /**
     * Builds the network with operations looked up in {@code ops}, so that registered operations of
     * a supported type (zero, identity, convolution of any odd kernel and dilation, average pooling)
     * need no code.
     *
     * @throws IllegalArgumentException if the cell uses an unknown operation or a type this builder lacks
     */
    public static Nb201Network create(OpRegistry ops, Nb201Cell cell, Nb201Macro macro, long seed, DataType dtype) {
        if (!dtype.isFPType()) {
            throw new IllegalArgumentException("the network needs a floating-point type, got " + dtype);
        }
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(cell, "cell");
        // Unknown operations fail here, before any graph is built.
        cell.ops().forEach(ops::get);
        return new Nb201Network(ops, cell, Objects.requireNonNull(macro, "macro"), seed, dtype);
    }

    /** The cell repeated in every stage. */
    public Nb201Cell cell() {
        return cell;
    }

    /** The macro skeleton. */
    public Nb201Macro macro() {
        return macro;
    }

    /** Graph with batch-statistics BatchNorm and a loss, for fitting. */
    public SameDiff trainingGraph() {
        return training;
    }

    /** Graph with population-statistics BatchNorm, for scoring. */
    public SameDiff inferenceGraph() {
        return inference;
    }

    /** Trainable parameters by name, in construction order. */
    public Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Number of trainable scalars (BatchNorm running statistics are not parameters). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(INDArray::length).sum();
    }

    /** Names of the BatchNorm layers with their channel counts. */
    public Map<String, Integer> batchNorms() {
        return Collections.unmodifiableMap(norms);
    }

    /** Training-graph output holding the batch mean of BatchNorm layer {@code norm}. */
    public static String batchMean(String norm) {
        return norm + "/batch_mean";
    }

    /** Training-graph output holding the (biased) batch variance of BatchNorm layer {@code norm}. */
    public static String batchVariance(String norm) {
        return norm + "/batch_var";
    }

    /** Inference-graph constant holding the population mean of BatchNorm layer {@code norm}. */
    public static String populationMean(String norm) {
        return norm + "/mean";
    }

    /** Inference-graph constant holding the population variance of BatchNorm layer {@code norm}. */
    public static String populationVariance(String norm) {
        return norm + "/var";
    }

    /** Sets the population statistics the inference graph normalizes with. */
    public void setPopulationStatistics(String norm, INDArray mean, INDArray variance) {
        if (!norms.containsKey(norm)) {
            throw new IllegalArgumentException("no BatchNorm layer named " + norm);
        }
        inference.getArrForVarName(populationMean(norm)).assign(mean.reshape(-1));
        inference.getArrForVarName(populationVariance(norm)).assign(variance.reshape(-1));
    }

    /** Copies the trained weights into the inference graph (a no-op where they share arrays). */
    public void syncInferenceWeights() {
        for (String name : parameters.keySet()) {
            INDArray trained = training.getArrForVarName(name);
            INDArray used = inference.getArrForVarName(name);
            if (trained != used) {
                used.assign(trained);
            }
        }
    }

    /** Builds one of the two graphs; both draw the same parameter arrays in the same order. */
    private final class Builder {

        private final boolean train;
        private final SplittableRandom random;
        private final SameDiff sd = SameDiff.create();

        Builder(boolean train, SplittableRandom random) {
            this.train = train;
            this.random = random;
        }

        SameDiff build() {
            SDVariable x = sd.placeHolder(INPUT, dtype, -1, macro.inputChannels(), -1, -1);
            int c = macro.channels();
            x = norm("stem/bn", conv("stem/conv", x, macro.inputChannels(), c, 3, 1, 1), c);
            for (int stage = 0; stage < 3; stage++) {
                int width = c << stage;
                if (stage > 0) {
                    x = reduction("stage" + stage + "/reduce", x, width / 2, width);
                }
                for (int n = 0; n < macro.cellsPerStage(); n++) {
                    x = cell("stage" + stage + "/cell" + n, x, width);
                }
            }
            int width = c * 4;
            x = sd.nn().relu(norm("head/bn", x, width), 0);
            SDVariable pooled = x.mean(2, 3);
            SDVariable w = param("head/linear/weight", () -> uniform(width, new long[] {width, macro.classes()}));
            SDVariable b = param("head/linear/bias", () -> uniform(width, new long[] {macro.classes()}));
            // Not sd.nn().linear: its oneDNN float kernel accumulates into a reused output buffer,
            // so every call after the first returns wrong logits (caught by Nb201NetworkTest).
            SDVariable logits = pooled.mmul(w).add(LOGITS, b);
            if (train) {
                SDVariable label = sd.placeHolder(LABEL, dtype, -1, macro.classes());
                crossEntropy(label, logits);
                sd.setLossVariables(LOSS);
            }
            return sd;
        }

        /**
         * Mean cross-entropy of softmax(logits), written out because the fused loss ops of this
         * ND4J release have wrong gradients; subtracting the row maximum keeps exp from overflowing.
         */
        private void crossEntropy(SDVariable label, SDVariable logits) {
            SDVariable max = logits.max(true, 1);
            SDVariable shifted = logits.sub(max);
            SDVariable logSumExp = sd.math().log(sd.math().exp(shifted).sum(true, 1));
            SDVariable picked = shifted.mul(label).sum(true, 1);
            logSumExp.sub(picked).mean(LOSS);
        }

        private SDVariable cell(String prefix, SDVariable input, int c) {
            List<SDVariable> states = new ArrayList<>(Nb201Cell.NODES);
            states.add(input);
            for (int to = 1; to < Nb201Cell.NODES; to++) {
                SDVariable sum = null;
                for (int from = 0; from < to; from++) {
                    SDVariable term = op(prefix + "/edge" + from + to, cell.op(from, to), states.get(from), c);
                    if (term != null) {
                        sum = sum == null ? term : sum.add(term);
                    }
                }
                // A node fed only by 'none' is zero; multiplying keeps its shape without a new input.
                states.add(sum == null ? input.mul(0.0) : sum);
            }
            return states.get(Nb201Cell.NODES - 1);
        }

        /** One candidate operation, or null for a zero op, whose contribution to a sum is zero. */
        private SDVariable op(String prefix, String name, SDVariable x, int c) {
            Op op = ops.get(name);
            return switch (op.type()) {
                case ZERO -> null;
                case IDENTITY -> x;
                case CONV -> {
                    if (op.dilation() != 1) {
                        // oneDNN in this ND4J release cannot create a dilated conv2d primitive.
                        throw new IllegalArgumentException("operation '" + name + "': dilated convolutions are not"
                                + " supported by the ND4J backend yet");
                    }
                    yield reluConvBn(prefix, x, c, c, op.kernel(), 1, 1);
                }
                case AVG_POOL -> sd.cnn().avgPooling2d(x, Pooling2DConfig.builder()
                        .kH(op.kernel()).kW(op.kernel()).sH(1).sW(1).pH(op.kernel() / 2).pW(op.kernel() / 2)
                        .paddingMode(PaddingMode.VALID)
                        .divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
                        .isNHWC(false)
                        .build());
                default -> throw new IllegalArgumentException("the NB201 network builder has no implementation of "
                        + "operation type " + op.type().configName() + " (operation '" + name + "') yet");
            };
        }

        private SDVariable reduction(String prefix, SDVariable x, int cin, int cout) {
            SDVariable a = reluConvBn(prefix + "/a", x, cin, cout, 3, 2, 1);
            SDVariable b = reluConvBn(prefix + "/b", a, cout, cout, 3, 1, 1);
            SDVariable pooled = sd.cnn().avgPooling2d(x, Pooling2DConfig.builder()
                    .kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
                    .paddingMode(PaddingMode.VALID)
                    .divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
                    .isNHWC(false)
                    .build());
            return conv(prefix + "/down", pooled, cin, cout, 1, 1, 1).add(b);
        }

        private SDVariable reluConvBn(String prefix, SDVariable x, int cin, int cout, int k, int stride, int dilation) {
            return norm(prefix + "/bn", conv(prefix + "/conv", sd.nn().relu(x, 0), cin, cout, k, stride, dilation),
                    cout);
        }

        private SDVariable conv(String name, SDVariable x, int cin, int cout, int k, int stride, int dilation) {
            SDVariable w = param(name + "/weight", () -> uniform((long) cin * k * k, new long[] {k, k, cin, cout}));
            int pad = dilation * (k - 1) / 2;
            return sd.cnn().conv2d(x, w, Conv2DConfig.builder()
                    .kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad).dH(dilation).dW(dilation)
                    .paddingMode(PaddingMode.VALID)
                    .dataFormat("NCHW")
                    .weightsFormat(WeightsFormat.YXIO)
                    .build());
        }

        private SDVariable norm(String name, SDVariable x, int c) {
            SDVariable gamma = param(name + "/gamma", () -> Nd4j.ones(dtype, c));
            SDVariable beta = param(name + "/beta", () -> Nd4j.zeros(dtype, c));
            if (!train) {
                SDVariable mean = sd.constant(populationMean(name), populationStatistics.computeIfAbsent(
                        populationMean(name), k -> Nd4j.zeros(dtype, c)));
                SDVariable variance = sd.constant(populationVariance(name), populationStatistics.computeIfAbsent(
                        populationVariance(name), k -> Nd4j.ones(dtype, c)));
                return sd.nn().batchNorm(x, mean, variance, gamma, beta, BN_EPSILON, 1);
            }
            // In this ND4J release the batchnorm op has no working backward pass (it is built without
            // an axis) and the variance op's gradient is wrong, so training normalizes with plain ops
            // whose gradients OpGradientTest checks. One scale and one shift keep it to two passes.
            norms.put(name, c);
            SDVariable mean = x.mean(batchMean(name), true, 0, 2, 3);
            SDVariable centered = x.sub(mean);
            SDVariable variance = centered.mul(centered).mean(batchVariance(name), true, 0, 2, 3);
            SDVariable scale = sd.math().rsqrt(variance.add(BN_EPSILON)).mul(gamma.reshape(1, c, 1, 1));
            SDVariable shift = beta.reshape(1, c, 1, 1).sub(mean.mul(scale));
            return x.mul(scale).add(shift);
        }

        /** The training graph creates each parameter; the inference graph reuses the same array. */
        private SDVariable param(String name, java.util.function.Supplier<INDArray> initial) {
            return sd.var(name, parameters.computeIfAbsent(name, k -> initial.get()));
        }

        /** PyTorch's default initialization for convolutions and linear layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
        private INDArray uniform(long fanIn, long[] shape) {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            float[] values = new float[Math.toIntExact(n)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return Nd4j.create(values, shape, 'c').castTo(dtype);
        }
    }
}
