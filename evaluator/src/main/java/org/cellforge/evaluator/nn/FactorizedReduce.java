package org.cellforge.evaluator.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DARTS's factorized reduction: ReLU, then two 1x1 stride-2 convolutions to half the output
 * channels each, one on the input and one on the input shifted by one row and column, joined along
 * the channels, then BatchNorm. It halves an even spatial size without dropping every other pixel.
 */
public final class FactorizedReduce implements Layer {

    private final String name;
    private final Relu relu;
    private final Conv2d first;
    private final Conv2d second;
    private final BatchNorm2d norm;
    private final int half;
    private long[] inputShape;

    public FactorizedReduce(NetworkBuilder b, String name, int in, int out) {
        this(b, name, in, out, true);
    }

    /** The reduction with an affine BatchNorm or, as in DARTS's search network, one without scale and shift. */
    public FactorizedReduce(NetworkBuilder b, String name, int in, int out, boolean affine) {
        if (out % 2 != 0) {
            throw new IllegalArgumentException("factorized reduction " + name + ": output channels " + out
                    + " must be even");
        }
        this.name = name;
        this.relu = b.relu();
        this.first = b.conv(name + "/conv_1", in, out / 2, 1, 2);
        this.second = b.conv(name + "/conv_2", in, out / 2, 1, 2);
        this.norm = b.norm(name + "/bn", out, affine);
        this.half = out / 2;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (x.size(1) % 2 != 0 || x.size(2) % 2 != 0) {
            throw new IllegalArgumentException("factorized reduction " + name + " needs an even spatial size, got "
                    + x.size(1) + "x" + x.size(2));
        }
        inputShape = x.shape();
        INDArray r = relu.forward(x, train);
        INDArray a = first.forward(r, train);
        INDArray b = second.forward(r.get(shifted(inputShape)).dup('c'), train);
        return norm.forward(Nd4j.concat(3, a, b), train);
    }

    /** The input without its first row and column. */
    private static INDArrayIndex[] shifted(long[] shape) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(1, shape[1]),
            NDArrayIndex.interval(1, shape[2]), NDArrayIndex.all()};
    }

    @Override
    public String export(GraphWriter out, String input) {
        String r = relu.export(out, input);
        String joined = out.concat(List.of(first.export(out, r),
                second.export(out, out.dropFirstRowAndColumn(r))));
        return norm.export(out, joined);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = norm.backward(gradOut);
        long c = g.size(3);
        INDArray ga = first.backward(g.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, half)).dup('c'));
        INDArray gb = second.backward(g.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(half, c)).dup('c'));
        INDArray gr = ga.dup();
        gr.get(shifted(inputShape)).addi(gb);
        return relu.backward(gr.reshape(inputShape));
    }
}
