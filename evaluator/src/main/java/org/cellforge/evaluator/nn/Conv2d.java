package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A bias-free convolution with square kernel, "same" padding for odd kernels and a stride. */
public final class Conv2d implements Layer {

    private final Parameters store;
    private final String name;
    private final INDArray weight;
    private final int stride;
    private final int pad;
    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private final Buffer gradWeight = new Buffer();
    private INDArray input;

    /** Looks up (or creates) weight {@code name + "/weight"} of shape [k, k, in, out]. */
    public Conv2d(Parameters store, String name, int in, int out, int k, int stride) {
        if (k % 2 == 0) {
            throw new IllegalArgumentException("convolution " + name + ": kernel " + k + " must be odd to keep the"
                    + " spatial size");
        }
        this.store = store;
        this.name = name + "/weight";
        this.weight = store.weight(this.name, Parameters.uniform((long) in * k * k, k, k, in, out));
        this.stride = stride;
        this.pad = k / 2;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        INDArray y = out.get(x.dataType(), Kernels.windowed(x, (int) weight.size(0), stride, pad, weight.size(3)));
        Kernels.conv2d(x, weight, stride, pad, y);
        return y;
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.conv(name.substring(0, name.length() - "/weight".length()), input, weight, stride, pad);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray gx = gradIn.like(input);
        INDArray gw = gradWeight.like(weight);
        if (weight.size(0) == 1 && stride == 1) {
            pointwiseBackward(gradOut, gx, gw);
        } else {
            Kernels.conv2dBackward(input, weight, gradOut, stride, pad, gx, gw);
        }
        input = null;
        store.accumulate(name, gw);
        return gx;
    }

    /**
     * The backward pass of a 1×1 convolution as the two matrix products it is over the pixels:
     * ∂x = ∂y·Wᵀ and ∂W = xᵀ·∂y, with x [pixels, in] and W [in, out]. This ND4J release's
     * {@code conv2d_bp} took ten times as long for 8 or 16 channels at 28×28 (BENCHMARKS.md).
     */
    private void pointwiseBackward(INDArray gradOut, INDArray gx, INDArray gw) {
        long in = weight.size(2);
        long outChannels = weight.size(3);
        INDArray x = ChannelKernels.dense(input).reshape('c', -1, in);
        INDArray g = ChannelKernels.dense(gradOut).reshape('c', -1, outChannels);
        INDArray w = weight.reshape('c', in, outChannels);
        Nd4j.gemm(g, w, gx.reshape('c', -1, in), false, true, 1.0, 0.0);
        Nd4j.gemm(x, g, gw.reshape('c', in, outChannels), true, false, 1.0, 0.0);
    }
}
