package org.cellforge.space.darts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsGenotype.Edge;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;

/**
 * The DARTS evaluation network (NetworkCIFAR, without the auxiliary head): a 3×3 stem convolution to
 * {@code stemMultiplier·C} channels with batch norm, {@code layers} cells with reduction cells at
 * {@code layers/3} and {@code 2·layers/3} (each doubling the width), global average pooling and a linear
 * classifier.
 *
 * <p>Parameters: stem {@code 9·in·3C + 2·3C}; each cell at width {@code C_k} adds two 1×1
 * preprocessing blocks, {@code (C_{k-2}·C_k + 2C_k) + (C_{k-1}·C_k + 2C_k)} (a factorized reduction when
 * the previous cell reduced, which has the same count), plus its operations at width {@code C_k} (stride
 * 2 for reduction-cell edges from the inputs); a cell outputs {@code |concat|·C_k} channels; the
 * classifier adds {@code C_last·classes + classes}.
 *
 * @param channels initial width C
 * @param layers number of cells
 * @param inputChannels colour channels of the images
 * @param classes number of output classes
 * @param stemMultiplier the stem's width as a multiple of C (3 in DARTS)
 */
public record DartsMacro(int channels, int layers, int inputChannels, int classes, int stemMultiplier) {

    public DartsMacro {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (layers < 3) {
            throw new IllegalArgumentException("layers must be at least 3 (two of them reduction cells), got " + layers);
        }
        if (inputChannels <= 0) {
            throw new IllegalArgumentException("inputChannels must be positive, got " + inputChannels);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (stemMultiplier <= 0) {
            throw new IllegalArgumentException("stemMultiplier must be positive, got " + stemMultiplier);
        }
    }

    /** The DARTS defaults for width and depth: stem multiplier 3. */
    public static DartsMacro of(int channels, int layers, int inputChannels, int classes) {
        return new DartsMacro(channels, layers, inputChannels, classes, 3);
    }

    /** Whether cell {@code index} is a reduction cell. */
    public boolean isReduction(int index) {
        return index == layers / 3 || index == 2 * layers / 3;
    }

    /** Trainable parameters of the network with built-in operations. */
    public long parameters(DartsGenotype g) {
        return parameters(OpRegistry.builtIn(), g);
    }

    /** Trainable parameters of the network. */
    public long parameters(OpRegistry ops, DartsGenotype g) {
        return count(ops, g, 0, 0, false);
    }

    /** Multiply-accumulates of convolutions and the classifier for one {@code height × width} image. */
    public long flops(OpRegistry ops, DartsGenotype g, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        return count(ops, g, height, width, true);
    }

    private long count(OpRegistry ops, DartsGenotype g, int height, int width, boolean flops) {
        long stem = (long) stemMultiplier * channels;
        long h = height;
        long w = width;
        long total = flops ? 9L * inputChannels * stem * h * w : 9L * inputChannels * stem + 2 * stem;
        long prevPrev = stem;
        long prev = stem;
        long current = channels;
        for (int i = 0; i < layers; i++) {
            boolean reduction = isReduction(i);
            if (reduction) {
                current *= 2;
            }
            // Both preprocessing blocks output at the resolution of the previous cell.
            total += flops ? (prevPrev + prev) * current * h * w : (prevPrev + prev) * current + 4 * current;
            CellKind kind = reduction ? CellKind.REDUCE : CellKind.NORMAL;
            long outH = reduction ? (h + 1) / 2 : h;
            long outW = reduction ? (w + 1) / 2 : w;
            for (Edge e : g.edges(kind)) {
                Op op = ops.get(e.op());
                int stride = reduction && e.input() < 2 ? 2 : 1;
                int c = (int) current;
                total += flops ? op.flops(c, c, stride, (int) (stride == 2 ? h : outH), (int) (stride == 2 ? w : outW))
                        : op.parameters(c, c, stride);
            }
            h = outH;
            w = outW;
            prevPrev = prev;
            prev = current * g.concat(kind).size();
        }
        return total + prev * classes + classes;
    }

    /** The JSON form used inside exports and search configurations. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channels);
        m.put("layers", layers);
        m.put("inputChannels", inputChannels);
        m.put("classes", classes);
        m.put("stemMultiplier", stemMultiplier);
        return m;
    }

    /** Reads {@link #toJson()}, naming the bad field; {@code stemMultiplier} defaults to 3. */
    public static DartsMacro fromJson(JsonNode node) {
        node.only(Set.of("channels", "layers", "inputChannels", "classes", "stemMultiplier"));
        int stem = node.has("stemMultiplier") ? node.get("stemMultiplier").integer(1) : 3;
        return new DartsMacro(node.get("channels").integer(1), node.get("layers").integer(3),
                node.get("inputChannels").integer(1), node.get("classes").integer(2), stem);
    }

    /** Cell indices that are reduction cells, for documentation and builders. */
    public List<Integer> reductionIndices() {
        return List.of(layers / 3, 2 * layers / 3);
    }
}
