package org.cellforge.evaluator.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An array a layer writes into step after step, reallocated only when the shape changes. A fresh
 * native allocation of an activation-sized array costs more than the elementwise kernel that fills
 * it (fresh pages must be faulted in), so layers keep their outputs and gradients here. What a
 * layer returns is therefore valid until its next call.
 */
final class Buffer {

    private INDArray array;

    INDArray get(DataType type, long... shape) {
        if (array == null || array.dataType() != type || !Arrays.equals(array.shape(), shape)) {
            array = Nd4j.createUninitialized(type, shape);
        }
        return array;
    }

    INDArray like(INDArray template) {
        return get(template.dataType(), template.shape());
    }
}
