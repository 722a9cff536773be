package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A bias-free depthwise convolution (one k x k filter per channel) with "same" padding, a stride
 * and a dilation. oneDNN in this ND4J release cannot run a dilated convolution, so a dilated
 * filter runs as the dense filter of side d(k-1)+1 with zeros between its taps; the weight stays
 * k x k (PyTorch's parameter count) and its gradient is read back from the taps.
 */
public final class DepthwiseConv2d implements Layer {

    private final Parameters store;
    private final String name;
    private final INDArray weight;
    private final int stride;
    private final int dilation;
    private final int pad;
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private final Buffer gradWeight = new Buffer();
    private final INDArray dense;
    private final INDArrayIndex[] taps;
    private INDArray input;

    /** Looks up (or creates) weight {@code name + "/weight"} of shape [k, k, channels, 1]. */
    public DepthwiseConv2d(Parameters store, String name, int channels, int k, int stride, int dilation) {
        if (k % 2 == 0 || dilation < 1) {
            throw new IllegalArgumentException("depthwise convolution " + name + ": kernel " + k + " must be odd and"
                    + " dilation " + dilation + " positive");
        }
        this.store = store;
        this.name = name + "/weight";
        this.weight = store.weight(this.name, Parameters.uniform((long) k * k, k, k, channels, 1));
        this.stride = stride;
        this.dilation = dilation;
        this.pad = dilation * (k - 1) / 2;
        int side = dilation * (k - 1) + 1;
        this.dense = dilation == 1 ? null : Nd4j.zeros(weight.dataType(), side, side, channels, 1);
        this.taps = new INDArrayIndex[] {NDArrayIndex.interval(0, dilation, side), NDArrayIndex.interval(0, dilation,
            side), NDArrayIndex.all(), NDArrayIndex.all()};
    }

    private INDArray filter() {
        if (dense == null) {
            return weight;
        }
        dense.get(taps).assign(weight);
        return dense;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        INDArray w = filter();
        INDArray y = out.get(x.dataType(), Kernels.windowed(x, (int) w.size(0), stride, pad, x.size(3)));
        Kernels.depthwiseConv2d(x, w, stride, pad, y);
        return y;
    }

    @Override
    public String export(GraphWriter writer, String in) {
        return writer.depthwiseConv(name.substring(0, name.length() - "/weight".length()), in, weight, stride, pad,
                dilation);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray w = filter();
        INDArray gx = gradIn.like(input);
        INDArray gw = gradWeight.like(w);
        Kernels.depthwiseConv2dBackward(input, w, gradOut, stride, pad, gx, gw);
        input = null;
        store.accumulate(name, dense == null ? gw : gw.get(taps).dup());
        return gx;
    }
}
