package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable piece of a network over NHWC activations. {@link #forward} in training mode
 * keeps what {@link #backward} needs; {@code backward} returns the gradient of its input and
 * adds its weights' gradients to the {@link Parameters} it was built on. A layer is used by one
 * thread at a time, and one backward follows one training forward.
 */
public interface Layer {

    /** The output for {@code x}; {@code train} selects batch statistics and keeps state for backward. */
    INDArray forward(INDArray x, boolean train);

    /** The gradient of the loss with respect to the last training input, given that of the output. */
    INDArray backward(INDArray gradOut);

    /**
     * Writes this layer in evaluation form to {@code out}, reading {@code input}; returns its output's name.
     *
     * @throws UnsupportedOperationException for layers that exist only during search (mixed operations)
     */
    String export(GraphWriter out, String input);
}
