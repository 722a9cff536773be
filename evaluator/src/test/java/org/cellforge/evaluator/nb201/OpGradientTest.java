package org.cellforge.evaluator.nb201;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference checks, in double precision, of every ND4J operation the networks are built
 * from. Several fused ops of this ND4J release have wrong gradients (batchnorm, variance,
 * softmax cross-entropy, logSumExp); this test is what lets the builders rely on the rest.
 */
class OpGradientTest {

    private static void check(String label, BiFunction<SameDiff, SDVariable, SDVariable> f) {
        Nd4j.getRandom().setSeed(1);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 4, 3, 5, 5));
        SDVariable out = f.apply(sd, x);
        SDVariable weights = sd.constant("t", Nd4j.randn(DataType.DOUBLE, out.eval().shape()));
        out.mul(weights).sum("loss");
        sd.setLossVariables("loss");
        INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");
        INDArray xa = sd.getArrForVarName("x");
        double worst = 0;
        for (long k = 0; k < xa.length(); k += 7) {
            double original = xa.getDouble(k);
            double h = 1e-5;
            xa.putScalar(k, original + h);
            double up = sd.outputSingle(Map.of(), "loss").getDouble(0);
            xa.putScalar(k, original - h);
            double down = sd.outputSingle(Map.of(), "loss").getDouble(0);
            xa.putScalar(k, original);
            worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grad.getDouble(k)));
        }
        assertTrue(worst < 1e-6, label + ": largest gradient error " + worst);
    }

    private static Pooling2DConfig pool(int k, int stride, int pad) {
        return Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).isNHWC(false).build();
    }

    private static Conv2DConfig conv(int stride) {
        return Conv2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
    }

    @Test
    void batchNormBuildingBlocks() {
        check("channel mean", (sd, x) -> x.sub(x.mean(true, 0, 2, 3)));
        check("biased variance", (sd, x) -> {
            SDVariable c = x.sub(x.mean(true, 0, 2, 3));
            return c.mul(c).mean(true, 0, 2, 3).mul(x);
        });
        check("rsqrt", (sd, x) -> sd.math().rsqrt(x.mul(x).add(1.0)));
        check("normalize", (sd, x) -> {
            SDVariable m = x.mean(true, 0, 2, 3);
            SDVariable c = x.sub(m);
            SDVariable scale = sd.math().rsqrt(c.mul(c).mean(true, 0, 2, 3).add(1e-5));
            return x.mul(scale).add(m.mul(scale).neg());
        });
    }

    @Test
    void cellOperations() {
        check("relu", (sd, x) -> sd.nn().relu(x, 0));
        check("zero", (sd, x) -> x.mul(0.0).add(x));
        check("avg pool 3x3", (sd, x) -> sd.cnn().avgPooling2d(x, pool(3, 1, 1)));
        check("avg pool 2x2 stride 2", (sd, x) -> sd.cnn().avgPooling2d(x, pool(2, 2, 0)));
        check("conv 3x3", (sd, x) -> sd.cnn().conv2d(x, sd.constant(Nd4j.randn(DataType.DOUBLE, 3, 3, 3, 4)),
                conv(1)));
        check("conv 3x3 stride 2", (sd, x) -> sd.cnn().conv2d(x,
                sd.constant(Nd4j.randn(DataType.DOUBLE, 3, 3, 3, 4)), conv(2)));
    }

    @Test
    void headAndLoss() {
        check("global average pool", (sd, x) -> x.mean(2, 3));
        check("matmul plus bias", (sd, x) -> x.mean(2, 3).mmul(sd.constant(Nd4j.randn(DataType.DOUBLE, 3, 5)))
                .add(sd.constant(Nd4j.randn(DataType.DOUBLE, 5))));
        check("cross-entropy", (sd, x) -> {
            SDVariable logits = x.mean(2, 3);
            INDArray onehot = Nd4j.zeros(DataType.DOUBLE, 4, 3);
            for (int i = 0; i < 4; i++) {
                onehot.putScalar(i, i % 3, 1.0);
            }
            SDVariable shifted = logits.sub(logits.max(true, 1));
            SDVariable lse = sd.math().log(sd.math().exp(shifted).sum(true, 1));
            return lse.sub(shifted.mul(sd.constant(onehot)).sum(true, 1)).mean();
        });
    }
}
