package org.cellforge.evaluator.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier made of layers over one {@link Parameters} store: NHWC images in, logits out.
 * Built by {@link NetworkBuilder}, which notes the weights, BatchNorm layers and ReLUs it uses.
 */
public final class Network {

    private final Layer body;
    private final Parameters store;
    private final List<String> weightNames;
    private final List<BatchNorm2d> norms;
    private final List<Relu> relus;

    Network(Layer body, Parameters store, List<String> weightNames, List<BatchNorm2d> norms, List<Relu> relus) {
        this.body = Objects.requireNonNull(body, "body");
        this.store = store;
        this.weightNames = List.copyOf(weightNames);
        this.norms = List.copyOf(norms);
        this.relus = List.copyOf(relus);
    }

    /** Logits of a batch with running BatchNorm statistics. */
    public INDArray logits(INDArray images) {
        return body.forward(images, false);
    }

    /**
     * One forward and backward pass in training mode: the gradients of every weight this network
     * uses are in {@link Parameters#gradients()} afterwards; BatchNorm running statistics move.
     */
    public SoftmaxCrossEntropy.Result backward(INDArray images, int[] labels) {
        store.clearGradients();
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.of(body.forward(images, true), labels);
        body.backward(result.gradient());
        return result;
    }

    /** Forward pass in training mode without a backward pass (batch statistics, no gradients kept). */
    public INDArray trainingLogits(INDArray images) {
        return body.forward(images, true);
    }

    /** Writes the network in evaluation form to {@code out}, reading {@code input}; returns the logits' name. */
    public String export(GraphWriter out, String input) {
        return body.export(out, input);
    }

    /** The store the weights live in. */
    public Parameters store() {
        return store;
    }

    /** This network's weights, by name in creation order (a supernet's store holds more). */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> mine = new LinkedHashMap<>();
        for (String name : weightNames) {
            mine.put(name, store.weights().get(name));
        }
        return mine;
    }

    /** Number of trainable scalars (BatchNorm running statistics are buffers, not parameters). */
    public long parameterCount() {
        return weightNames.stream().mapToLong(n -> store.weights().get(n).length()).sum();
    }

    /**
     * Recomputes every BatchNorm layer's running statistics as the average over {@code batches}
     * in training mode, for weights trained elsewhere (inherited from a supernet, or to make
     * evaluation exact for the final weights). Returns this network.
     */
    public Network recalibrate(Iterable<INDArray> batches) {
        norms.forEach(BatchNorm2d::startCalibration);
        try {
            for (INDArray batch : batches) {
                body.forward(batch, true);
            }
        } finally {
            norms.forEach(BatchNorm2d::endCalibration);
        }
        return this;
    }

    /** The ReLU layers in network order, for scores that look at activation patterns. */
    public List<Relu> relus() {
        return relus;
    }
}
