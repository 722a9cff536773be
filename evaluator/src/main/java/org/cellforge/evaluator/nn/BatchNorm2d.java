package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BatchNorm over the channel axis of NHWC activations, as PyTorch's BatchNorm2d: batch
 * statistics in training, running statistics (momentum 0.1, unbiased variance) in evaluation.
 * Affine by default (a learned scale and shift per channel); without them ({@code affine=False},
 * as DARTS's search network normalizes its candidate operations) it has no trainable weights but
 * keeps its running statistics.
 *
 * <p>Written over an [N*H*W, C] view as two fused passes each way ({@link ChannelKernels}): the
 * forward pass sums, then scales and shifts; the backward pass sums, then combines gradient and
 * input. It keeps its input rather than the normalized activations for the backward pass, so the
 * layer before it must not change its output until then (its output is its own buffer, which it
 * rewrites only on its next call). In this ND4J release the fused batchnorm_bp kernel recomputes
 * the statistics and a chain of broadcasting custom ops makes fifteen passes (BENCHMARKS.md).
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
    private final Buffer gradIn = new Buffer();
    private long calibrated = -1;
    /** What the backward pass needs of the last training forward: its input, mean and 1/σ per channel. */
    private INDArray input;
    private double[] batchMean;
    private double[] invStd;

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
        INDArray rows = ChannelKernels.dense(x).reshape('c', -1, x.size(3));
        INDArray y = out.like(rows);
        double[] g = gamma.toDoubleVector();
        double[] b = beta.toDoubleVector();
        int c = g.length;
        double[] scale = new double[c];
        if (!train) {
            double[] mean = runningMean.toDoubleVector();
            double[] variance = runningVar.toDoubleVector();
            for (int i = 0; i < c; i++) {
                scale[i] = g[i] / Math.sqrt(variance[i] + EPSILON);
            }
            ChannelKernels.affine(rows, mean, scale, b, y);
            return y.reshape(x.shape());
        }
        long m = rows.size(0);
        // Sums around the batch's first row, a sample of each channel: within a few standard deviations of
        // the mean, so Σ(x−k)²/m − (Σ(x−k)/m)² keeps its precision however far the mean is from zero.
        double[] center = rows.getRow(0).toDoubleVector();
        double[] sum = new double[c];
        double[] sumSquares = new double[c];
        ChannelKernels.sums(rows, center, sum, sumSquares);
        double[] mean = new double[c];
        double[] variance = new double[c];
        invStd = new double[c];
        for (int i = 0; i < c; i++) {
            double offset = sum[i] / m;
            mean[i] = center[i] + offset;
            variance[i] = Math.max(0, sumSquares[i] / m - offset * offset);
            invStd[i] = 1 / Math.sqrt(variance[i] + EPSILON);
            scale[i] = g[i] * invStd[i];
        }
        ChannelKernels.affine(rows, mean, scale, b, y);
        update(mean, variance, m);
        input = rows;
        batchMean = mean;
        return y.reshape(x.shape());
    }

    private void update(double[] mean, double[] variance, long m) {
        double momentum = calibrated >= 0 ? 1.0 / ++calibrated : MOMENTUM;
        double unbiased = m / (double) Math.max(1, m - 1);
        double[] runMean = runningMean.toDoubleVector();
        double[] runVar = runningVar.toDoubleVector();
        for (int i = 0; i < mean.length; i++) {
            runMean[i] = (1 - momentum) * runMean[i] + momentum * mean[i];
            runVar[i] = (1 - momentum) * runVar[i] + momentum * variance[i] * unbiased;
        }
        runningMean.assign(Nd4j.createFromArray(runMean).castTo(runningMean.dataType()));
        runningVar.assign(Nd4j.createFromArray(runVar).castTo(runningVar.dataType()));
    }

    @Override
    public String export(GraphWriter writer, String input) {
        return writer.batchNorm(gammaName.substring(0, gammaName.length() - "/gamma".length()), input, gamma, beta,
                runningMean, runningVar, EPSILON);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray grad = ChannelKernels.dense(gradOut).reshape('c', -1, gradOut.size(3));
        long m = grad.size(0);
        int c = invStd.length;
        double[] sumG = new double[c];
        double[] sumGCentered = new double[c];
        ChannelKernels.productSums(grad, input, batchMean, sumG, sumGCentered);
        double[] g = gamma.toDoubleVector();
        double[] gradGamma = new double[c];
        // dx = γ·σ⁻¹/m · (m·g − Σg − x̂·Σ(g·x̂)) with x̂ = (x − μ)·σ⁻¹, as a·g + b·(x − μ) + d per channel.
        double[] a = new double[c];
        double[] b = new double[c];
        double[] d = new double[c];
        for (int i = 0; i < c; i++) {
            gradGamma[i] = sumGCentered[i] * invStd[i];
            double k = g[i] * invStd[i] / m;
            a[i] = k * m;
            b[i] = -k * invStd[i] * gradGamma[i];
            d[i] = -k * sumG[i];
        }
        if (affine) {
            store.accumulate(betaName, vector(sumG, beta));
            store.accumulate(gammaName, vector(gradGamma, gamma));
        }
        INDArray dx = gradIn.like(grad);
        ChannelKernels.combine(grad, a, input, batchMean, b, d, dx);
        input = null;
        batchMean = null;
        invStd = null;
        return dx.reshape(gradOut.shape());
    }

    private static INDArray vector(double[] values, INDArray like) {
        return Nd4j.createFromArray(values).castTo(like.dataType());
    }
}
