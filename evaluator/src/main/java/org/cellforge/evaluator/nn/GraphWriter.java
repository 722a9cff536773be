package org.cellforge.evaluator.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Receives a trained network layer by layer, in evaluation form (BatchNorm with running
 * statistics), to write it in another format. Every method takes the names of its inputs and
 * returns the name of its output; arrays are in this engine's layouts ([kH, kW, in, out]
 * convolution weights, [in, out] linear weights), which a writer converts as its format needs.
 */
public interface GraphWriter {

    String conv(String name, String input, INDArray weight, int stride, int pad);

    String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean, INDArray variance,
            double epsilon);

    String relu(String input);

    /** A depthwise convolution; {@code weight} is [k, k, C, 1], applied with {@code dilation}. */
    String depthwiseConv(String name, String input, INDArray weight, int stride, int pad, int dilation);

    String maxPool(String input, int k, int stride, int pad);

    /** The inputs joined along the channel axis, in order. */
    String concat(List<String> inputs);

    /** The input without its first row and first column (DARTS's factorized reduction). */
    String dropFirstRowAndColumn(String input);

    /** Average pooling that divides by the cells inside the image. */
    String avgPool(String input, int k, int stride, int pad);

    String add(String a, String b);

    /** Zeros of the input's shape (a cell node fed only by zero operations). */
    String zerosLike(String input);

    /** Spatial mean, [N, C, H, W] to [N, C]. */
    String globalAvgPool(String input);

    String linear(String name, String input, INDArray weight, INDArray bias);
}
