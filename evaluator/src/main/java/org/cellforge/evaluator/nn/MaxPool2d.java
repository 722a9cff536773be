package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Max pooling with "same"-style padding that never wins, as PyTorch's MaxPool2d. */
public final class MaxPool2d implements Layer {

    private final int k;
    private final int stride;
    private final int pad;
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private INDArray input;

    public MaxPool2d(int k, int stride, int pad) {
        this.k = k;
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        INDArray y = out.get(x.dataType(), Kernels.windowed(x, k, stride, pad, x.size(3)));
        Kernels.maxPool(x, k, stride, pad, y);
        return y;
    }

    @Override
    public String export(GraphWriter writer, String in) {
        return writer.maxPool(in, k, stride, pad);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradIn.like(input);
        Kernels.maxPoolBackward(input, gradOut, k, stride, pad, g);
        input = null;
        return g;
    }
}
