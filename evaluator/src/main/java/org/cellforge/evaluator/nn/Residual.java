package org.cellforge.evaluator.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The sum of two branches over the same input (a ResNet block and its shortcut). */
public final class Residual implements Layer {

    private final Layer main;
    private final Layer shortcut;

    public Residual(Layer main, Layer shortcut) {
        this.main = main;
        this.shortcut = shortcut;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        // Both branches end in layers that own their outputs, so the sum can go into the first.
        return main.forward(x, train).addi(shortcut.forward(x, train));
    }

    @Override
    public String export(GraphWriter out, String input) {
        return out.add(main.export(out, input), shortcut.export(out, input));
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        return main.backward(gradOut).addi(shortcut.backward(gradOut));
    }
}
