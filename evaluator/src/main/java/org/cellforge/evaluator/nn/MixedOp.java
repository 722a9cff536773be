package org.cellforge.evaluator.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cellforge.space.Relaxation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DARTS mixed operation: the softmax(alpha)-weighted sum of every candidate operation on one
 * edge. Alpha is row {@code row} of the architecture weight {@code alphaName} ([edges, ops]),
 * shared by every cell of the network; its gradient goes to the store like any weight's, so the
 * caller decides which batches train it.
 */
public final class MixedOp implements Layer {

    private final Parameters store;
    private final String alphaName;
    private final INDArray alpha;
    private final int row;
    /** Candidate layers in the relaxation's op order; null for a zero operation. */
    private final List<Layer> candidates;
    private final List<Buffer> scaled = new ArrayList<>();
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private double[] weights;
    private INDArray[] outputs;

    /** The name of the architecture weights of relaxation cell {@code cell} ({@code normal}, {@code reduce}, ...). */
    public static String alphaName(String cell) {
        return "arch/alpha/" + cell;
    }

    /** Whether {@code name} names architecture weights rather than network weights. */
    public static boolean isAlpha(String name) {
        return name.startsWith("arch/alpha/");
    }

    public MixedOp(Parameters store, String alphaName, INDArray alpha, int row, List<Layer> candidates) {
        if (alpha.rank() != 2 || row < 0 || row >= alpha.size(0) || alpha.size(1) != candidates.size()) {
            throw new IllegalArgumentException("alpha " + Arrays.toString(alpha.shape()) + " has no row " + row
                    + " of " + candidates.size() + " op weights");
        }
        this.store = store;
        this.alphaName = alphaName;
        this.alpha = alpha;
        this.row = row;
        this.candidates = new ArrayList<>(candidates);
        for (int k = 0; k < candidates.size(); k++) {
            scaled.add(new Buffer());
        }
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        weights = Relaxation.softmax(alpha.getRow(row).toDoubleVector());
        outputs = new INDArray[candidates.size()];
        INDArray sum = null;
        for (int k = 0; k < candidates.size(); k++) {
            Layer op = candidates.get(k);
            if (op != null) {
                outputs[k] = op.forward(x, train);
                // Strided edges change the shape: the sum takes the candidates' output shape.
                sum = sum == null ? out.like(outputs[k]).assign(0) : sum;
                sum.addi(outputs[k].mul(weights[k], scaled.get(k).like(outputs[k])));
            }
        }
        if (sum == null) {
            throw new IllegalStateException("a mixed operation needs at least one operation that is not zero");
        }
        return sum;
    }

    @Override
    public String export(GraphWriter out, String input) {
        throw new UnsupportedOperationException("a mixed operation exists only during search: discretize the"
                + " architecture and export the network of the genotype");
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        int n = candidates.size();
        double[] gradWeights = new double[n];
        INDArray gx = null;
        for (int k = 0; k < n; k++) {
            Layer op = candidates.get(k);
            if (op != null) {
                gradWeights[k] = Nd4j.getBlasWrapper().dot(gradOut.reshape(-1), outputs[k].reshape(-1));
                INDArray g = op.backward(gradOut.mul(weights[k], scaled.get(k).like(gradOut)));
                gx = gx == null ? gradIn.like(g).assign(g) : gx.addi(g);
            }
        }
        // Through the softmax: dL/dalpha_j = w_j * (dL/dw_j - sum_k w_k dL/dw_k).
        double mean = 0;
        for (int k = 0; k < n; k++) {
            mean += weights[k] * gradWeights[k];
        }
        INDArray gradAlpha = Nd4j.zeros(alpha.dataType(), alpha.shape());
        for (int k = 0; k < n; k++) {
            gradAlpha.putScalar(row, k, weights[k] * (gradWeights[k] - mean));
        }
        store.accumulate(alphaName, gradAlpha);
        outputs = null;
        return gx;
    }
}
