package org.cellforge.evaluator.nn;

import java.util.ArrayList;
import java.util.List;

import org.cellforge.space.ops.Op;

/**
 * Makes layers on one store and remembers which weights, BatchNorm layers and ReLUs a network
 * uses. Edge operations are made from their registry entry (type and hyper-parameters), so
 * operations registered by configuration need no code.
 */
public final class NetworkBuilder {

    private final Parameters store;
    private final List<BatchNorm2d> norms = new ArrayList<>();
    private final List<Relu> relus = new ArrayList<>();

    public NetworkBuilder(Parameters store) {
        this.store = store;
        store.startRecording();
    }

    public Parameters store() {
        return store;
    }

    public Conv2d conv(String name, int in, int out, int k, int stride) {
        return new Conv2d(store, name, in, out, k, stride);
    }

    public BatchNorm2d norm(String name, int channels) {
        BatchNorm2d bn = new BatchNorm2d(store, name, channels);
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
        return new Sequential(relu(), conv(name + "/conv", in, out, k, stride), norm(name + "/bn", out));
    }

    /**
     * The layer of an edge operation that keeps shape and width {@code c}, or null for a zero
     * operation, whose contribution to a sum is nothing.
     *
     * @throws IllegalArgumentException for an operation type this evaluator cannot build yet
     */
    public Layer edge(String name, Op op, int c) {
        return switch (op.type()) {
            case ZERO -> null;
            case IDENTITY -> new Identity();
            case CONV -> {
                if (op.dilation() != 1) {
                    // oneDNN in this ND4J release cannot create a dilated conv2d primitive.
                    throw new IllegalArgumentException("operation '" + op.name() + "': dilated convolutions are not"
                            + " supported by the ND4J backend yet");
                }
                yield reluConvBn(name + "/" + op.name(), c, c, op.kernel(), 1);
            }
            case AVG_POOL -> new AvgPool2d(op.kernel(), 1, op.kernel() / 2);
            default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                    + op.type().configName() + " has no evaluator implementation yet");
        };
    }

    /** The network made of {@code body}; the builder is spent afterwards. */
    public Network build(Layer body) {
        return new Network(body, store, store.stopRecording(), norms, relus);
    }
}
