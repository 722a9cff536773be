package org.cellforge.space.ops;

import java.util.Objects;

/**
 * A named edge operation: its family and hyper-parameters, from which its parameter count, its
 * multiply-accumulate count and its algebraic role follow for any input width, output width and stride.
 *
 * <p>Counts follow the PyTorch modules of NAS-Bench-201 and DARTS with affine batch norm (2 parameters
 * per channel). FLOPs are multiply-accumulates of convolutions and fully connected layers, biases
 * included, per image, which is what both benchmarks report as FLOPs; batch norm, activations, pooling
 * and additions are not counted. Spatial padding keeps the size, so stride {@code s} maps {@code H} to
 * {@code ceil(H / s)}.
 *
 * @param name the name used in arch strings and genotypes
 * @param type the family
 * @param kernel odd kernel size for convolutions and pooling, 1 for the other types
 * @param dilation dilation of the (depthwise) convolution, 1 for the other types
 * @param reduction channel reduction of a squeeze-and-excitation block, 1 for the other types
 */
public record Op(String name, OpType type, int kernel, int dilation, int reduction) {

    /** Whether the operation reads one tensor (every edge operation does) or combines several. */
    public static final int ARITY = 1;

    /** What an operation does to the cell's algebra, for canonical forms. */
    public enum Role {
        /** Output is zero. */
        ZERO,
        /** Output is the input. */
        IDENTITY,
        /** Linear in its input: distributes over sums, maps zero to zero. */
        LINEAR,
        /** Anything else. */
        NONLINEAR
    }

    public Op {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("operation name must start with a letter and hold only letters, digits,"
                    + " '_', '.' or '-', got '" + name + "'");
        }
        boolean spatial = type == OpType.CONV || type == OpType.SEP_CONV || type == OpType.DIL_CONV
                || type == OpType.AVG_POOL || type == OpType.MAX_POOL;
        if (spatial ? kernel < 1 || kernel % 2 == 0 || kernel > 15 : kernel != 1) {
            throw new IllegalArgumentException("operation '" + name + "': kernel must be "
                    + (spatial ? "odd, 1..15" : "1 for type " + type.configName()) + ", got " + kernel);
        }
        boolean dilated = type == OpType.CONV || type == OpType.DIL_CONV;
        if (dilated ? dilation < 1 || dilation > 8 : dilation != 1) {
            throw new IllegalArgumentException("operation '" + name + "': dilation must be "
                    + (dilated ? "1..8" : "1 for type " + type.configName()) + ", got " + dilation);
        }
        if (type == OpType.SQUEEZE_EXCITE ? reduction < 1 || reduction > 64 : reduction != 1) {
            throw new IllegalArgumentException("operation '" + name + "': reduction must be "
                    + (type == OpType.SQUEEZE_EXCITE ? "1..64" : "1 for type " + type.configName()) + ", got "
                    + reduction);
        }
    }

    /** An operation without hyper-parameters (zero or identity). */
    public static Op of(String name, OpType type) {
        return new Op(name, type, 1, 1, 1);
    }

    /** A convolution or pooling operation with the given kernel (dilation 2 for dil_conv, 1 otherwise). */
    public static Op of(String name, OpType type, int kernel) {
        return new Op(name, type, kernel, type == OpType.DIL_CONV ? 2 : 1, 1);
    }

    /** A squeeze-and-excitation block whose hidden layer has {@code channels / reduction} units. */
    public static Op squeezeExcite(String name, int reduction) {
        return new Op(name, OpType.SQUEEZE_EXCITE, 1, 1, reduction);
    }

    /** Number of input tensors. */
    public int arity() {
        return ARITY;
    }

    /** The definition without the name: two operations with equal signatures compute the same function. */
    public String signature() {
        return switch (type) {
            case ZERO -> "zero";
            case IDENTITY -> "identity";
            case CONV -> "conv_" + kernel + "x" + kernel + (dilation == 1 ? "" : "_d" + dilation);
            case SEP_CONV -> "sep_conv_" + kernel + "x" + kernel;
            case DIL_CONV -> "dil_conv_" + kernel + "x" + kernel + "_d" + dilation;
            case AVG_POOL -> "avg_pool_" + kernel + "x" + kernel;
            case MAX_POOL -> "max_pool_" + kernel + "x" + kernel;
            case SQUEEZE_EXCITE -> "squeeze_excite_r" + reduction;
        };
    }

    /** Whether input and output differ in shape, so identity, pooling and SE need an adapter. */
    private static boolean reshapes(int in, int out, int stride) {
        return in != out || stride != 1;
    }

    /**
     * The algebraic role at the given shapes: identity is only an identity when the shape is kept,
     * pooling only linear without the 1×1 adapter convolution.
     */
    public Role role(int in, int out, int stride) {
        check(in, out, stride);
        return switch (type) {
            case ZERO -> Role.ZERO;
            case IDENTITY -> reshapes(in, out, stride) ? Role.NONLINEAR : Role.IDENTITY;
            case AVG_POOL -> in == out ? Role.LINEAR : Role.NONLINEAR;
            default -> Role.NONLINEAR;
        };
    }

    /** Trainable parameters of this operation from {@code in} to {@code out} channels. */
    public long parameters(int in, int out, int stride) {
        check(in, out, stride);
        long ci = in;
        long co = out;
        long k2 = (long) kernel * kernel;
        return switch (type) {
            case ZERO -> 0;
            case IDENTITY -> reshapes(in, out, stride) ? factorizedReduceParameters(ci, co) : 0;
            case CONV -> k2 * ci * co + 2 * co;
            case SEP_CONV -> 2 * k2 * ci + ci * ci + 2 * ci + ci * co + 2 * co;
            case DIL_CONV -> k2 * ci + ci * co + 2 * co;
            case AVG_POOL, MAX_POOL -> in != out ? ci * co + 2 * co : 0;
            case SQUEEZE_EXCITE -> {
                long hidden = hidden(out);
                yield (reshapes(in, out, stride) ? factorizedReduceParameters(ci, co) : 0)
                        + co * hidden + hidden + hidden * co + co;
            }
        };
    }

    /**
     * Multiply-accumulates for one image of {@code height × width} pixels.
     */
    public long flops(int in, int out, int stride, int height, int width) {
        check(in, out, stride);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        long ci = in;
        long co = out;
        long k2 = (long) kernel * kernel;
        long pixelsOut = (long) ceilDiv(height, stride) * ceilDiv(width, stride);
        long pixelsIn = (long) height * width;
        return switch (type) {
            case ZERO -> 0;
            case IDENTITY -> reshapes(in, out, stride) ? ci * co * pixelsOut : 0;
            case CONV -> k2 * ci * co * pixelsOut;
            case SEP_CONV -> (2 * k2 * ci + ci * ci + ci * co) * pixelsOut;
            case DIL_CONV -> (k2 * ci + ci * co) * pixelsOut;
            // The adapter runs at the input resolution, before the pooling strides.
            case AVG_POOL, MAX_POOL -> in != out ? ci * co * pixelsIn : 0;
            case SQUEEZE_EXCITE -> {
                long hidden = hidden(out);
                yield (reshapes(in, out, stride) ? ci * co * pixelsOut : 0) + co * hidden + hidden + hidden * co + co;
            }
        };
    }

    /** Units of the squeeze-and-excitation hidden layer for {@code channels} channels. */
    public int hidden(int channels) {
        return Math.max(1, channels / reduction);
    }

    /** A factorized reduction: two half-width 1×1 convolutions (stride 2) or one (stride 1), then batch norm. */
    static long factorizedReduceParameters(long in, long out) {
        return in * out + 2 * out;
    }

    private void check(int in, int out, int stride) {
        if (in < 1 || out < 1 || stride < 1 || stride > 2) {
            throw new IllegalArgumentException("operation '" + name + "' needs positive widths and stride 1 or 2, got in="
                    + in + " out=" + out + " stride=" + stride);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return name + "=" + signature();
    }
}
