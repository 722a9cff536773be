package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Average pooling that divides by the cells inside the image (PyTorch's count_include_pad=False). */
public final class AvgPool2d implements Layer {

    private final int k;
    private final int stride;
    private final int pad;
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private INDArray input;

    public AvgPool2d(int k, int stride, int pad) {
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
        Kernels.avgPool(x, k, stride, pad, y);
        return y;
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.avgPool(input, k, stride, pad);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradIn.like(input);
        Kernels.avgPoolBackward(input, gradOut, k, stride, pad, g);
        input = null;
        return g;
    }
}
