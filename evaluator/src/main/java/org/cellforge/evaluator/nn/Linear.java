package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** y = x W + b with W stored [in, out] (PyTorch's weight transposed). */
public final class Linear implements Layer {

    private final Parameters store;
    private final String weightName;
    private final String biasName;
    private final INDArray weight;
    private final INDArray bias;
    private INDArray input;

    /** Looks up (or creates) {@code name + "/weight"} and {@code "/bias"}, initialized as PyTorch does. */
    public Linear(Parameters store, String name, int in, int out) {
        this.store = store;
        this.weightName = name + "/weight";
        this.biasName = name + "/bias";
        this.weight = store.weight(weightName, Parameters.uniform(in, in, out));
        this.bias = store.weight(biasName, Parameters.uniform(in, out));
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        // Not the fused xw_plus_b op: with the oneDNN float kernel it accumulates into a reused
        // output buffer and returns wrong values after the first call.
        return x.mmul(weight).addiRowVector(bias);
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.linear(weightName.substring(0, weightName.length() - "/weight".length()), input, weight, bias);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        store.accumulate(weightName, input.transpose().mmul(gradOut));
        store.accumulate(biasName, gradOut.sum(0));
        input = null;
        return gradOut.mmul(weight.transpose());
    }
}
