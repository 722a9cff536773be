package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/** Mean over the spatial axes: [N, H, W, C] to [N, C]. */
public final class GlobalAvgPool implements Layer {

    private final Buffer gradIn = new Buffer();
    private long[] inputShape;

    @Override
    public INDArray forward(INDArray x, boolean train) {
        if (train) {
            inputShape = x.shape();
        }
        return x.mean(1, 2);
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.globalAvgPool(input);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        long n = inputShape[0];
        long cells = inputShape[1] * inputShape[2];
        long c = inputShape[3];
        INDArray spread = gradIn.get(gradOut.dataType(), n, cells, c).assign(1.0 / cells);
        Nd4j.exec(new BroadcastMulOp(spread, gradOut, spread, 0, 2));
        return spread.reshape(inputShape);
    }
}
