package org.cellforge.evaluator.proxy;

import java.util.HashMap;
import java.util.Map;

import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.Relu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NASWOT score (Mellor et al., "Neural Architecture Search without Training", ICML 2021):
 * log|det K| of the kernel K_ij = sum over ReLU units of [units i and j agree on active/inactive],
 * from one mini-batch through the network at initialization (training mode: batch statistics).
 * Networks whose ReLU patterns tell the images of a batch apart score higher.
 */
public final class Naswot {

    private Naswot() {
    }

    /**
     * The score of {@code net} on the first {@code batch} images of {@code images} (all of them if there
     * are fewer); a network whose output ignores its input scores {@code -Infinity}.
     */
    public static double score(Network net, ImageSet images, int batch) {
        return score(net, Batches.range(images, 0, Math.min(batch, images.size())));
    }

    /** The score of {@code net} on {@code batch} (NHWC); weights and BatchNorm statistics are left as they were. */
    public static double score(Network net, INDArray batch) {
        int n = (int) batch.size(0);
        INDArray kernel = Nd4j.zeros(DataType.DOUBLE, n, n);
        Map<String, INDArray> statistics = new HashMap<>();
        net.store().buffers().forEach((name, value) -> statistics.put(name, value.dup()));
        for (Relu relu : net.relus()) {
            relu.observe(activation -> accumulate(kernel, activation));
        }
        try {
            net.trainingLogits(batch);
        } finally {
            for (Relu relu : net.relus()) {
                relu.observe(null);
            }
            statistics.forEach((name, value) -> net.store().buffers().get(name).assign(value));
        }
        return logAbsDet(kernel.toDoubleMatrix());
    }

    /**
     * Adds c cᵀ + (1 - c)(1 - c)ᵀ for the binary codes c = [activation &gt; 0] of one layer, one row
     * per image: the number of units on which two images agree.
     */
    static void accumulate(INDArray kernel, INDArray activation) {
        int n = (int) activation.size(0);
        INDArray flat = activation.reshape(n, -1);
        long units = flat.size(1);
        // With signs s = 2c - 1, s sᵀ counts agreements minus disagreements, so the sum above is
        // (s sᵀ + units) / 2: one product instead of two. Float sums of ±1 stay exact integers below
        // 2^24 and take about a quarter of the time of the two double products, which dominated a score.
        DataType type = units < 1 << 24 ? DataType.FLOAT : DataType.DOUBLE;
        INDArray signs = flat.gt(0).castTo(type).muli(2).subi(1);
        INDArray agree = Nd4j.gemm(signs, signs, false, true);
        kernel.addi(agree.castTo(DataType.DOUBLE).addi(units).divi(2));
    }

    /** log|det a| by LU decomposition with partial pivoting; minus infinity for a singular matrix. */
    static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double sum = 0;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (m[pivot][col] == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            double[] t = m[pivot];
            m[pivot] = m[col];
            m[col] = t;
            sum += Math.log(Math.abs(m[col][col]));
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                if (f != 0) {
                    for (int k = col; k < n; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        return sum;
    }
}
