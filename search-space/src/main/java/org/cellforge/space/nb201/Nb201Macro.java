package org.cellforge.space.nb201;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.cellforge.space.json.JsonNode;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;

/**
 * The NAS-Bench-201 network around a searched cell: a 3×3 stem convolution with batch norm, three
 * stages of {@code N} cells at widths C, 2C and 4C with a residual reduction block between stages
 * (ReLU-conv-BN 3×3 stride 2, ReLU-conv-BN 3×3, and a 2×2 average pool + 1×1 convolution shortcut),
 * then batch norm, ReLU, global average pooling and a linear classifier.
 *
 * <p>Parameters: {@code 9·in·C + 2C} (stem) + {@code Σ cells} + {@code Σ_{s=1,2} (9·C_{s-1}·C_s + 2C_s
 * + 9·C_s² + 2C_s + C_{s-1}·C_s)} (reductions) + {@code 2·4C + 4C·classes + classes} (head), where a cell
 * has the sum of its six operations' parameters at width C_s.
 *
 * @param channels width C of the first stage
 * @param cellsPerStage cells N in each of the three stages
 * @param inputChannels colour channels of the images
 * @param classes number of output classes
 */
public record Nb201Macro(int channels, int cellsPerStage, int inputChannels, int classes) {

    /** Number of stages. */
    public static final int STAGES = 3;

    public Nb201Macro {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (cellsPerStage <= 0) {
            throw new IllegalArgumentException("cellsPerStage must be positive, got " + cellsPerStage);
        }
        if (inputChannels <= 0) {
            throw new IllegalArgumentException("inputChannels must be positive, got " + inputChannels);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
    }

    /** Width of stage {@code s} (0, 1 or 2). */
    public int width(int stage) {
        return channels << stage;
    }

    /** Trainable parameters of the whole network with {@code cell} in every cell position, built-in ops. */
    public long parameters(Nb201Cell cell) {
        return parameters(OpRegistry.builtIn(), cell);
    }

    /** Trainable parameters of the whole network with {@code cell} in every cell position. */
    public long parameters(OpRegistry ops, Nb201Cell cell) {
        long total = conv(inputChannels, channels, 3) + bn(channels);
        for (int s = 0; s < STAGES; s++) {
            int c = width(s);
            if (s > 0) {
                int prev = width(s - 1);
                total += conv(prev, c, 3) + bn(c) + conv(c, c, 3) + bn(c) + conv(prev, c, 1);
            }
            long perCell = 0;
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                perCell += ops.get(cell.op(e)).parameters(c, c, 1);
            }
            total += perCell * cellsPerStage;
        }
        int last = width(STAGES - 1);
        return total + bn(last) + (long) last * classes + classes;
    }

    /**
     * Multiply-accumulates of convolutions and the classifier for one {@code height × width} image.
     *
     * @throws IllegalArgumentException unless both sides are divisible by 4, which the two stride-2
     *     reductions need so that the shortcut and the main branch agree in size
     */
    public long flops(OpRegistry ops, Nb201Cell cell, int height, int width) {
        if (height < 4 || width < 4 || height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException("image sides must be positive multiples of 4 (two stride-2 reductions), got "
                    + height + "x" + width);
        }
        long h = height;
        long w = width;
        long total = 9L * inputChannels * channels * h * w;
        for (int s = 0; s < STAGES; s++) {
            int c = width(s);
            if (s > 0) {
                long prev = width(s - 1);
                h /= 2;
                w /= 2;
                total += (9 * prev * c + 9L * c * c + prev * c) * h * w;
            }
            long perCell = 0;
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                Op op = ops.get(cell.op(e));
                perCell += op.flops(c, c, 1, (int) h, (int) w);
            }
            total += perCell * cellsPerStage;
        }
        int last = width(STAGES - 1);
        return total + (long) last * classes + classes;
    }

    /** The JSON form used inside exports and search configurations. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channels);
        m.put("cellsPerStage", cellsPerStage);
        m.put("inputChannels", inputChannels);
        m.put("classes", classes);
        return m;
    }

    /** Reads {@link #toJson()}, naming the bad field. */
    public static Nb201Macro fromJson(JsonNode node) {
        node.only(Set.of("channels", "cellsPerStage", "inputChannels", "classes"));
        return new Nb201Macro(node.get("channels").integer(1), node.get("cellsPerStage").integer(1),
                node.get("inputChannels").integer(1), node.get("classes").integer(2));
    }

    private static long conv(long in, long out, int kernel) {
        return (long) kernel * kernel * in * out;
    }

    private static long bn(long c) {
        return 2 * c;
    }
}
