package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average or max pooling over k x k windows with a stride and padding. Average pooling divides by
 * the cells inside the image (PyTorch's count_include_pad=False); in max pooling padded cells
 * never win, as PyTorch pads with minus infinity.
 */
public final class Pool2d implements Layer {

    private final boolean max;
    private final int k;
    private final int stride;
    private final int pad;
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private INDArray input;

    private Pool2d(boolean max, int k, int stride, int pad) {
        this.max = max;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
    }

    public static Pool2d average(int k, int stride, int pad) {
        return new Pool2d(false, k, stride, pad);
    }

    public static Pool2d max(int k, int stride, int pad) {
        return new Pool2d(true, k, stride, pad);
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        INDArray y = out.get(x.dataType(), Kernels.windowed(x, k, stride, pad, x.size(3)));
        Kernels.pool(max, x, k, stride, pad, y);
        return y;
    }

    @Override
    public String export(GraphWriter writer, String in) {
        return max ? writer.maxPool(in, k, stride, pad) : writer.avgPool(in, k, stride, pad);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradIn.like(input);
        Kernels.poolBackward(max, input, gradOut, k, stride, pad, g);
        input = null;
        return g;
    }
}
