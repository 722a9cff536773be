package org.cellforge.evaluator.nn;

import java.util.function.Consumer;

import org.nd4j.linalg.api.ndarray.INDArray;

/** max(x, 0). */
public final class Relu implements Layer {

    private final Buffer out = new Buffer();
    private final Buffer gradIn = new Buffer();
    private INDArray input;
    private Consumer<INDArray> observer;

    /** Shows every output to {@code observer} (null: to nobody), for scores that read activation patterns. */
    public void observe(Consumer<INDArray> observer) {
        this.observer = observer;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            input = x;
        }
        INDArray y = out.like(x);
        Kernels.relu(x, y);
        if (observer != null) {
            observer.accept(y);
        }
        return y;
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.relu(input);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray g = gradIn.like(input);
        ChannelKernels.reluBackward(ChannelKernels.dense(input), ChannelKernels.dense(gradOut), g);
        input = null;
        return g;
    }
}
