package org.cellforge.space.ops;

import java.util.Arrays;
import java.util.Locale;

/**
 * The families of edge operations an evaluator knows how to build. A registered operation is one
 * family with its hyper-parameters, so users add operations by configuration, not by code.
 */
public enum OpType {
    /** Outputs zeros: the edge is absent. */
    ZERO,
    /** Passes the input on; a factorized reduction when the shape must change. */
    IDENTITY,
    /** ReLU, convolution (optionally dilated), batch norm, as NAS-Bench-201's nor_conv. */
    CONV,
    /** Two stacked ReLU, depthwise, pointwise, batch-norm blocks, as DARTS's sep_conv. */
    SEP_CONV,
    /** ReLU, dilated depthwise, pointwise, batch norm, as DARTS's dil_conv. */
    DIL_CONV,
    /** Average pooling that does not count padding; a 1×1 ReLU-conv-BN first when widths differ. */
    AVG_POOL,
    /** Max pooling; a 1×1 ReLU-conv-BN first when widths differ. */
    MAX_POOL,
    /** Squeeze-and-excitation: global average, two fully connected layers, sigmoid channel gates. */
    SQUEEZE_EXCITE;

    /** The lower-case name used in configuration, such as {@code sep_conv}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type with the given configuration name.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static OpType fromConfigName(String name) {
        for (OpType t : values()) {
            if (t.configName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown operation type '" + name + "'; expected one of "
                + Arrays.stream(values()).map(OpType::configName).toList());
    }
}
