package org.cellforge.evaluator.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** A float32 tensor in row-major order: a weight on its way from an ONNX model to a safetensors file. */
final class FloatTensor {

    private final long[] shape;
    private final float[] values;

    private FloatTensor(long[] shape, float[] values) {
        this.shape = shape;
        this.values = values;
    }

    /**
     * The tensor of {@code shape} holding {@code values} in row-major order (both copied).
     *
     * @throws IllegalArgumentException for a negative dimension or a value count that is not the shape's size
     */
    static FloatTensor of(long[] shape, float[] values) {
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, d);
        }
        if (size != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got "
                    + values.length);
        }
        return new FloatTensor(shape.clone(), values.clone());
    }

    List<Long> shape() {
        return Arrays.stream(shape).boxed().toList();
    }

    /** Number of values. */
    int size() {
        return values.length;
    }

    float get(int index) {
        return values[index];
    }

    /**
     * The matrix transposed: ONNX's Gemm holds a linear weight [in, out], PyTorch's Linear [out, in].
     *
     * @throws IllegalStateException if this is not a matrix
     */
    FloatTensor transpose() {
        if (shape.length != 2) {
            throw new IllegalStateException("only a matrix can be transposed, shape " + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = values[r * cols + c];
            }
        }
        return new FloatTensor(new long[] {cols, rows}, t);
    }

    /** The values as little-endian float32, safetensors' byte order whatever the machine's. */
    void writeTo(ByteBuffer out) {
        ByteBuffer le = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        le.asFloatBuffer().put(values);
        out.position(out.position() + 4 * values.length);
    }
}
