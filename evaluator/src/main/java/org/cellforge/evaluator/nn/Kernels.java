package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native kernels the layers call directly, NHWC with [kH, kW, in, out] weights, writing into
 * arrays the caller owns. Calling them without a SameDiff graph avoids its per-step session and
 * allocation overhead, which made a training step several times slower than the kernels
 * themselves (BENCHMARKS.md).
 */
final class Kernels {

    private static final int NHWC = 1;
    private static final int WEIGHTS_YXIO = 0;

    private Kernels() {
    }

    /** NHWC shape of a window op's output (convolution or pooling) with {@code channels} output channels. */
    static long[] windowed(INDArray x, int k, int stride, int pad, long channels) {
        return new long[] {x.size(0), (x.size(1) + 2L * pad - k) / stride + 1, (x.size(2) + 2L * pad - k) / stride + 1,
            channels};
    }

    static void conv2d(INDArray x, INDArray w, int stride, int pad, INDArray out) {
        exec(DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(out), convArgs(w, stride, pad));
    }

    static void conv2dBackward(INDArray x, INDArray w, INDArray gradOut, int stride, int pad, INDArray gradIn,
            INDArray gradW) {
        exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, gradOut).addOutputs(gradIn, gradW),
                convArgs(w, stride, pad));
    }

    static void depthwiseConv2d(INDArray x, INDArray w, int stride, int pad, INDArray out) {
        exec(DynamicCustomOp.builder("depthwise_conv2d").addInputs(x, w).addOutputs(out), convArgs(w, stride, pad));
    }

    static void depthwiseConv2dBackward(INDArray x, INDArray w, INDArray gradOut, int stride, int pad,
            INDArray gradIn, INDArray gradW) {
        exec(DynamicCustomOp.builder("depthwise_conv2d_bp").addInputs(x, w, gradOut).addOutputs(gradIn, gradW),
                convArgs(w, stride, pad));
    }

    /**
     * Max pooling (padded cells never win, as PyTorch pads with minus infinity) or average pooling
     * (the divisor counts only the window's cells inside the image, as PyTorch's count_include_pad=False).
     */
    static void pool(boolean max, INDArray x, int k, int stride, int pad, INDArray out) {
        exec(DynamicCustomOp.builder(max ? "maxpool2d" : "avgpool2d").addInputs(x).addOutputs(out),
                poolArgs(k, stride, pad));
    }

    static void poolBackward(boolean max, INDArray x, INDArray gradOut, int k, int stride, int pad, INDArray gradIn) {
        exec(DynamicCustomOp.builder(max ? "maxpool2d_bp" : "avgpool2d_bp").addInputs(x, gradOut).addOutputs(gradIn),
                poolArgs(k, stride, pad));
    }

    static void relu(INDArray x, INDArray out) {
        exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(out).addFloatingPointArguments(0.0), new int[0]);
    }

    private static int[] convArgs(INDArray w, int stride, int pad) {
        return new int[] {(int) w.size(0), (int) w.size(1), stride, stride, pad, pad, 1, 1, 0, NHWC, WEIGHTS_YXIO};
    }

    private static int[] poolArgs(int k, int stride, int pad) {
        // The tenth argument 0 divides by the cells inside the image only.
        return new int[] {k, k, stride, stride, pad, pad, 1, 1, 0, 0, NHWC};
    }

    private static void exec(DynamicCustomOp.DynamicCustomOpsBuilder builder, int[] intArgs) {
        Nd4j.exec(builder.addIntegerArguments(intArgs).build());
    }
}
