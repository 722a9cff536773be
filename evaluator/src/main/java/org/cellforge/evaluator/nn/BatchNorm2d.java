package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BatchNorm over the channel axis of NHWC activations, as PyTorch's BatchNorm2d: batch
 * statistics in training, running statistics (momentum 0.1, unbiased variance) in evaluation.
 * Affine by default (a learned scale and shift per channel); without them ({@code affine=False},
 * as DARTS's search network normalizes its candidate operations) it has no trainable weights but
 * keeps its running statistics.
 *
 * <p>Written over an [N*H*W, C] view with the broadcasting custom ops and column sums as a
 * matrix product: in this ND4J release the fused batchnorm_bp kernel recomputes the statistics,
 * and the legacy row-vector broadcasts and axis-0 reductions walk one tiny row at a time; both
 * were ten times slower on the benchmark's shapes (BENCHMARKS.md).
 */
public final class BatchNorm2d implements Layer {

    /** Running statistics move this far towards each batch's, as PyTorch's default. */
    public static final double MOMENTUM = 0.1;

    static final double EPSILON = 1e-5;

    private final Parameters store;
    private final boolean affine;
    private final String gammaName;
    private final String betaName;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final Buffer out = new Buffer();
    private final Buffer normalizedBuffer = new Buffer();
    private final Buffer gradIn = new Buffer();
    private final Buffer ones = new Buffer();
    private long calibrated = -1;
    private INDArray normalized;
    private INDArray invStd;

    /** Looks up (or creates) {@code name + "/gamma"}, {@code "/beta"}, {@code "/running_mean"}, {@code "/running_var"}. */
    public BatchNorm2d(Parameters store, String name, int channels) {
        this(store, name, channels, true);
    }

    /**
     * An affine BatchNorm as {@link #BatchNorm2d(Parameters, String, int)}, or without {@code affine}
     * one with a fixed scale of 1 and shift of 0 that creates no weights, only the running statistics.
     */
    public BatchNorm2d(Parameters store, String name, int channels, boolean affine) {
        this.store = store;
        this.affine = affine;
        this.gammaName = name + "/gamma";
        this.betaName = name + "/beta";
        this.gamma = affine ? store.weight(gammaName, Parameters.constant(1, channels))
                : Parameters.constant(1, channels).apply(null).castTo(store.dtype());
        this.beta = affine ? store.weight(betaName, Parameters.constant(0, channels))
                : Parameters.constant(0, channels).apply(null).castTo(store.dtype());
        this.runningMean = store.buffer(name + "/running_mean", 0, channels);
        this.runningVar = store.buffer(name + "/running_var", 1, channels);
    }

    /**
     * Starts re-estimating the running statistics as the plain average over the following training
     * batches (PyTorch's momentum=None), for weights that were trained elsewhere.
     */
    public void startCalibration() {
        calibrated = 0;
        runningMean.assign(0);
        runningVar.assign(1);
    }

    /** Returns to momentum updates. */
    public void endCalibration() {
        calibrated = -1;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        INDArray rows = x.reshape('c', -1, x.size(3));
        INDArray y = out.like(rows);
        if (!train) {
            INDArray scale = Transforms.pow(runningVar.add(EPSILON), -0.5, false).muli(gamma);
            INDArray shift = beta.sub(runningMean.mul(scale));
            broadcast("multiply", rows, scale, y);
            broadcast("add", y, shift, y);
            return y.reshape(x.shape());
        }
        long m = rows.size(0);
        INDArray mean = columnSums(rows).divi(m);
        normalized = normalizedBuffer.like(rows);
        broadcast("subtract", rows, mean, normalized);
        // y holds the squares for a moment before it holds the output.
        INDArray variance = columnSums(normalized.mul(normalized, y)).divi(m);
        invStd = Transforms.pow(variance.add(EPSILON), -0.5, false);
        broadcast("multiply", normalized, invStd, normalized);
        update(mean, variance.muli(m / (double) Math.max(1, m - 1)));
        broadcast("multiply", normalized, gamma, y);
        broadcast("add", y, beta, y);
        return y.reshape(x.shape());
    }

    private void update(INDArray mean, INDArray unbiasedVariance) {
        double momentum = calibrated >= 0 ? 1.0 / ++calibrated : MOMENTUM;
        runningMean.muli(1 - momentum).addi(mean.muli(momentum));
        runningVar.muli(1 - momentum).addi(unbiasedVariance.muli(momentum));
    }

    @Override
    public String export(GraphWriter writer, String input) {
        return writer.batchNorm(gammaName.substring(0, gammaName.length() - "/gamma".length()), input, gamma, beta,
                runningMean, runningVar, EPSILON);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradOut.reshape('c', -1, gradOut.size(3));
        long m = g.size(0);
        INDArray dx = gradIn.like(g);
        INDArray gradBeta = columnSums(g);
        INDArray gradGamma = columnSums(g.mul(normalized, dx));
        if (affine) {
            store.accumulate(betaName, gradBeta);
            store.accumulate(gammaName, gradGamma);
        }
        // dx = gamma * invStd / m * (m * g - sum(g) - xhat * sum(g * xhat))
        INDArray coefficient = gamma.mul(invStd).divi(m);
        broadcast("multiply", normalized, gradGamma, normalized);
        g.mul(m, dx).subi(normalized);
        broadcast("subtract", dx, gradBeta, dx);
        broadcast("multiply", dx, coefficient, dx);
        normalized = null;
        invStd = null;
        return dx.reshape(gradOut.shape());
    }

    /** Sums over the rows of [m, c] as the product of a row of ones with it. */
    private INDArray columnSums(INDArray rows) {
        long m = rows.size(0);
        INDArray unit = ones.get(rows.dataType(), 1, m);
        if (unit.getDouble(0) != 1.0 || unit.getDouble(m - 1) != 1.0) {
            unit.assign(1);
        }
        INDArray sums = Nd4j.createUninitialized(rows.dataType(), 1, rows.size(1));
        // A plain GEMM: INDArray.mmul took ten times as long for this shape.
        Nd4j.gemm(unit, rows, sums, false, false, 1.0, 0.0);
        return sums.reshape(rows.size(1));
    }

    /** {@code a op b} with {@code b} of one value per channel broadcast over the rows of {@code a}, into {@code z}. */
    private static void broadcast(String op, INDArray a, INDArray b, INDArray z) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(a, b).addOutputs(z).build());
    }
}
