package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Passes its input on (NB201's skip_connect on an edge that keeps the shape). */
public final class Identity implements Layer {

    @Override
    public INDArray forward(INDArray x, boolean train) {
        return x;
    }

    @Override
    public String export(GraphWriter out, String input) {
        return input;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        return gradOut;
    }
}
