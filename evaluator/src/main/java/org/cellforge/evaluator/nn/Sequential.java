package org.cellforge.evaluator.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied one after another. */
public final class Sequential implements Layer {

    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        for (Layer layer : layers) {
            x = layer.forward(x, train);
        }
        return x;
    }

    @Override
    public String export(GraphWriter out, String input) {
        for (Layer layer : layers) {
            input = layer.export(out, input);
        }
        return input;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            gradOut = layers.get(i).backward(gradOut);
        }
        return gradOut;
    }
}
