package org.cellforge.evaluator.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ChannelKernelsTest {

    /**
     * 6,409 rows of 24 channels: 153,816 elements, enough to be split over threads, and a tile of
     * 1,008 elements leaves a tail of 600 to the scalar loop.
     */
    private static final long[] SHAPE = {13, 17, 29, 24};

    private static INDArray random(DataType type, long seed, double mean) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, SHAPE).addi(mean).castTo(type);
    }

    private static double[] perChannel(long seed) {
        double[] v = new double[(int) SHAPE[3]];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-2, 2);
        }
        return v;
    }

    private static INDArray rows(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape('c', -1, SHAPE[3]);
    }

    private static INDArray vector(double[] v) {
        return Nd4j.createFromArray(v).reshape(1, v.length);
    }

    private static void assertClose(INDArray expected, double[] actual, double relative) {
        double[] e = expected.toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], actual[i], relative * Math.max(1, Math.abs(e[i])), "channel " + i);
        }
    }

    @Test
    void channelSumsAgreeWithAReferenceInDoubleAcrossTilesTailAndThreads() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = random(type, 1, 0.5);
            double[] shift = perChannel(2);
            double[] sum = new double[shift.length];
            double[] squares = new double[shift.length];
            ChannelKernels.sums(x.reshape('c', -1, SHAPE[3]), shift, sum, squares);
            INDArray centered = rows(x).subRowVector(vector(shift));
            double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-10;
            assertClose(centered.sum(0), sum, tolerance);
            assertClose(centered.mul(centered).sum(0), squares, tolerance);
        }
    }

    @Test
    void productSumsAndTheCombinationAgreeWithAReferenceInDouble() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray g = random(type, 3, 0).reshape('c', -1, SHAPE[3]);
            INDArray x = random(type, 4, 1).reshape('c', -1, SHAPE[3]);
            double[] shift = perChannel(5);
            double[] sumG = new double[shift.length];
            double[] sumGX = new double[shift.length];
            ChannelKernels.productSums(g, x, shift, sumG, sumGX);
            double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-10;
            assertClose(rows(g).sum(0), sumG, tolerance);
            assertClose(rows(g).mul(rows(x).subRowVector(vector(shift))).sum(0), sumGX, tolerance);

            double[] a = perChannel(6);
            double[] b = perChannel(7);
            double[] d = perChannel(8);
            double[] center = perChannel(9);
            INDArray out = Nd4j.createUninitialized(type, g.shape());
            ChannelKernels.combine(g, a, x, center, b, d, out);
            INDArray centered = rows(x).subRowVector(vector(center));
            INDArray expected = rows(g).mulRowVector(vector(a)).addi(centered.mulRowVector(vector(b)))
                    .addiRowVector(vector(d));
            assertTrue(expected.equalsWithEps(out.castTo(DataType.DOUBLE), type == DataType.FLOAT ? 1e-5 : 1e-12));

            ChannelKernels.affine(x, center, a, d, out);
            INDArray affine = centered.mulRowVector(vector(a)).addiRowVector(vector(d));
            assertTrue(affine.equalsWithEps(out.castTo(DataType.DOUBLE), type == DataType.FLOAT ? 1e-5 : 1e-12));
        }
    }

    @Test
    void reluBackwardPassesTheGradientWhereTheInputWasPositive() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = random(type, 9, 0);
            INDArray g = random(type, 10, 0);
            INDArray out = Nd4j.createUninitialized(type, SHAPE);
            ChannelKernels.reluBackward(x, g, out);
            INDArray expected = g.castTo(DataType.DOUBLE).mul(x.castTo(DataType.DOUBLE).gt(0).castTo(DataType.DOUBLE));
            assertEquals(expected, out.castTo(DataType.DOUBLE));
        }
    }

    @Test
    void activationsOfOnePixelAreDenseWhateverTheStridesOfTheirUnitDimensions() {
        // A last stage of 1×1 pixels, as 4×4 images give after two reductions.
        INDArray x = Nd4j.randn(DataType.FLOAT, 128, 1, 1, 16);
        INDArray g = Nd4j.randn(DataType.FLOAT, 128, 1, 1, 16);
        INDArray out = Nd4j.create(DataType.FLOAT, 128, 1, 1, 16);
        assertTrue(ChannelKernels.isDense(x), java.util.Arrays.toString(x.stride()));
        ChannelKernels.reluBackward(x, g, out);
        assertEquals(g.mul(x.gt(0).castTo(DataType.FLOAT)), out);
        INDArray transposed = Nd4j.randn(DataType.FLOAT, 4, 6).transpose();
        assertTrue(!ChannelKernels.isDense(transposed) && ChannelKernels.isDense(ChannelKernels.dense(transposed)));
    }

    @Test
    void aViewWithAnOffsetIsReadWhereItStartsAndAStridedOneIsCopiedFirst() {
        INDArray whole = random(DataType.FLOAT, 11, 0.3).reshape('c', -1, SHAPE[3]);
        INDArray tail = whole.get(NDArrayIndex.interval(100, whole.rows()), NDArrayIndex.all());
        double[] zero = new double[(int) SHAPE[3]];
        double[] sum = new double[zero.length];
        ChannelKernels.sums(tail, zero, sum, new double[zero.length]);
        assertClose(rows(tail).sum(0), sum, 1e-5);

        INDArray strided = whole.get(NDArrayIndex.interval(0, 2, whole.rows()), NDArrayIndex.all());
        assertThrows(IllegalArgumentException.class,
                () -> ChannelKernels.sums(strided, zero, new double[zero.length], new double[zero.length]));
        double[] denseSum = new double[zero.length];
        ChannelKernels.sums(ChannelKernels.dense(strided), zero, denseSum, new double[zero.length]);
        assertClose(rows(strided.dup('c')).sum(0), denseSum, 1e-5);
    }

    @Test
    void batchNormKeepsItsStatisticsFarFromZeroAndItsGradientsAgreeWithDouble() {
        // A mean a thousand standard deviations from zero: summing squares around zero in float would
        // lose the variance entirely.
        INDArray x = random(DataType.DOUBLE, 12, 1000);
        INDArray g = random(DataType.DOUBLE, 13, 0);
        double[][] results = new double[2][];
        INDArray[] gradients = new INDArray[2];
        int i = 0;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Parameters store = Parameters.of(type, 0);
            BatchNorm2d bn = new BatchNorm2d(store, "bn", (int) SHAPE[3]);
            INDArray y = bn.forward(x.castTo(type), true).castTo(DataType.DOUBLE);
            INDArray yRows = y.reshape('c', -1, SHAPE[3]);
            // Normalized per channel: mean 0, biased variance 1 (less BatchNorm's epsilon).
            assertTrue(yRows.mean(0).amaxNumber().doubleValue() < 1e-3, "mean " + yRows.mean(0));
            assertTrue(yRows.var(false, 0).subi(1).amaxNumber().doubleValue() < 1e-3, "variance " + yRows.var(false, 0));
            INDArray dx = bn.backward(g.castTo(type)).castTo(DataType.DOUBLE);
            results[i] = store.buffer("bn/running_var", 1, SHAPE[3]).toDoubleVector();
            gradients[i++] = dx;
        }
        double[] unbiased = rows(x).var(true, 0).toDoubleVector();
        for (int c = 0; c < unbiased.length; c++) {
            // One step with momentum 0.1 from 1.
            assertEquals(0.9 + 0.1 * unbiased[c], results[1][c], 1e-9);
            assertEquals(results[1][c], results[0][c], 1e-3);
        }
        assertTrue(gradients[1].equalsWithEps(gradients[0], 1e-3),
                () -> "float and double gradients differ by " + gradients[1].sub(gradients[0]).amaxNumber());
        assertTrue(gradients[1].amaxNumber().doubleValue() > 0.1, "a gradient that cannot be told from zero");
        assertArrayEquals(SHAPE, gradients[0].shape(), Arrays.toString(gradients[0].shape()));
    }
}
