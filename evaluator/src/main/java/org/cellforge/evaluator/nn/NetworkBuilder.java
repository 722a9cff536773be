package org.cellforge.evaluator.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes layers on one store and remembers which weights, BatchNorm layers and ReLUs a network
 * uses. Edge operations are made from their registry entry (type and hyper-parameters), so
 * operations registered by configuration need no code.
 *
 * <p>Parts made through {@link #part} can be kept in a {@link Parts} cache and reused by later
 * networks on the same store: the paths of a supernet then share layer objects, and with them the
 * arrays those layers keep between steps, so switching paths allocates nothing.
 */
public final class NetworkBuilder {

    private final Parameters store;
    private final Parts parts;
    private final List<BatchNorm2d> norms = new ArrayList<>();
    private final List<Relu> relus = new ArrayList<>();

    /** A builder whose parts are made afresh. */
    public NetworkBuilder(Parameters store) {
        this(store, new Parts());
    }

    /** A builder that reuses the parts in {@code parts} and keeps the ones it makes there. */
    public NetworkBuilder(Parameters store, Parts parts) {
        this.store = store;
        this.parts = parts;
        store.startRecording();
    }

    /** Layers made once and reused by every network built with the same cache, by key. */
    public static final class Parts {

        private final Map<String, Part> made = new HashMap<>();
        private final Map<String, INDArray[]> scratch = new HashMap<>();

        /** Number of parts made so far. */
        public int size() {
            return made.size();
        }
    }

    private record Part(Layer layer, List<String> weights, List<BatchNorm2d> norms, List<Relu> relus) {
    }

    /**
     * The part {@code key}: reused from the cache with its weights, BatchNorm layers and ReLUs
     * counted as this network's, or made by {@code make} and cached. Null stands for a zero operation.
     */
    public Layer part(String key, Supplier<Layer> make) {
        Part part = parts.made.get(key);
        if (part == null) {
            int firstNorm = norms.size();
            int firstRelu = relus.size();
            // The outer recording sees these weights too: names count for every open recording.
            store.startRecording();
            Layer layer;
            List<String> weights;
            try {
                layer = make.get();
            } finally {
                weights = store.stopRecording();
            }
            parts.made.put(key, new Part(layer, weights, List.copyOf(norms.subList(firstNorm, norms.size())),
                    List.copyOf(relus.subList(firstRelu, relus.size()))));
            return layer;
        }
        store.noteUse(part.weights());
        norms.addAll(part.norms());
        relus.addAll(part.relus());
        return part.layer();
    }

    public Parameters store() {
        return store;
    }

    public Conv2d conv(String name, int in, int out, int k, int stride) {
        return new Conv2d(store, name, in, out, k, stride);
    }

    public BatchNorm2d norm(String name, int channels) {
        return norm(name, channels, true);
    }

    /** A BatchNorm layer, affine or (as DARTS's search network) with neither scale nor shift. */
    public BatchNorm2d norm(String name, int channels, boolean affine) {
        BatchNorm2d bn = new BatchNorm2d(store, name, channels, affine);
        norms.add(bn);
        return bn;
    }

    public Relu relu() {
        Relu r = new Relu();
        relus.add(r);
        return r;
    }

    /** ReLU, convolution, BatchNorm: NAS-Bench-201's nor_conv and the ResNet block's halves. */
    public Layer reluConvBn(String name, int in, int out, int k, int stride) {
        return reluConvBn(name, in, out, k, stride, true);
    }

    /** ReLU, convolution, BatchNorm with or without its affine weights. */
    public Layer reluConvBn(String name, int in, int out, int k, int stride, boolean affine) {
        return new Sequential(relu(), conv(name + "/conv", in, out, k, stride), norm(name + "/bn", out, affine));
    }

    /**
     * The layer of an edge operation that keeps shape and width {@code c}, or null for a zero
     * operation, whose contribution to a sum is nothing.
     *
     * @throws IllegalArgumentException for an operation type this evaluator cannot build yet
     */
    public Layer edge(String name, Op op, int c) {
        return edge(name, op, c, true);
    }

    /**
     * The layer of an edge operation as a candidate of DARTS's search network (the reference's
     * {@code MixedOp}): BatchNorm without affine weights, and pooling followed by such a BatchNorm
     * (named {@code name/op/bn}), so that pooled outputs are on the scale of the others.
     */
    public Layer searchEdge(String name, Op op, int c) {
        Layer layer = edge(name, op, c, false);
        boolean pool = op.type() == OpType.AVG_POOL || op.type() == OpType.MAX_POOL;
        return pool ? new Sequential(layer, norm(name + "/" + op.name() + "/bn", c, false)) : layer;
    }

    private Layer edge(String name, Op op, int c, boolean affine) {
        return switch (op.type()) {
            case ZERO -> null;
            case IDENTITY -> new Identity();
            case CONV -> {
                if (op.dilation() != 1) {
                    // oneDNN in this ND4J release cannot create a dilated conv2d primitive.
                    throw new IllegalArgumentException("operation '" + op.name() + "': dilated convolutions are not"
                            + " supported by the ND4J backend yet");
                }
                yield reluConvBn(name + "/" + op.name(), c, c, op.kernel(), 1, affine);
            }
            case AVG_POOL -> Pool2d.average(op.kernel(), 1, op.kernel() / 2);
            default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                    + op.type().configName() + " has no evaluator implementation yet");
        };
    }

    /**
     * {@code n} array slots kept under {@code key} for a layer that is itself made afresh for
     * every network (a cell of a given architecture) but copies into arrays of the same shapes.
     */
    public INDArray[] scratch(String key, int n) {
        return parts.scratch.computeIfAbsent(key, k -> new INDArray[n]);
    }

    /** The network made of {@code body}; the builder is spent afterwards. */
    public Network build(Layer body) {
        return new Network(body, store, store.stopRecording(), norms, relus);
    }
}
