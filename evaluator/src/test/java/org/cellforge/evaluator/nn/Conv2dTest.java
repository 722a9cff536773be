package org.cellforge.evaluator.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Conv2dTest {

    @Test
    void aPointwiseConvolutionsGradientsAreThoseOfTheNativeConvolutionKernel() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 9, 11, 8);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, 6, 9, 11, 12);
        Parameters store = Parameters.of(DataType.FLOAT, 3);
        Conv2d conv = new Conv2d(store, "pw", 8, 12, 1, 1);
        INDArray y = conv.forward(x, true);
        INDArray gx = conv.backward(gradOut).dup();
        INDArray gw = store.gradients().get("pw/weight").dup();

        INDArray weight = store.weight("pw/weight", null);
        INDArray expectedX = x.ulike();
        INDArray expectedW = weight.ulike();
        Kernels.conv2dBackward(x, weight, gradOut, 1, 0, expectedX, expectedW);
        assertTrue(expectedX.equalsWithEps(gx, 1e-4), () -> "input gradient off by " + expectedX.sub(gx).amaxNumber());
        assertTrue(expectedW.equalsWithEps(gw, 1e-3), () -> "weight gradient off by " + expectedW.sub(gw).amaxNumber());
        assertTrue(gw.amaxNumber().doubleValue() > 1, "a weight gradient that cannot be told from zero");
        assertTrue(y.shape()[3] == 12);
    }
}
