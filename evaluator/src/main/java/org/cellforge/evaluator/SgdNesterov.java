package org.cellforge.evaluator;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with Nesterov momentum and coupled weight decay, step for step as PyTorch's
 * {@code SGD(nesterov=True)}: {@code g += wd*p; v = mu*v + g; p -= lr*(g + mu*v)}. Written out
 * rather than taken from ND4J's updaters so that trained weights are comparable with the PyTorch
 * reference and the same code runs on any ND4J backend.
 */
final class SgdNesterov implements Optimizer {

    private final double momentum;
    private final double weightDecay;
    private static final String VELOCITY = "velocity/";

    private final Map<String, INDArray> velocity = new HashMap<>();

    SgdNesterov(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate) {
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray p = parameters.get(e.getKey());
            INDArray g = e.getValue();
            if (p == null) {
                continue;
            }
            if (weightDecay != 0) {
                g.addi(p.mul(weightDecay));
            }
            INDArray v = velocity.get(e.getKey());
            if (v == null) {
                v = g.dup();
                velocity.put(e.getKey(), v);
            } else {
                v.muli(momentum).addi(g);
            }
            p.subi(g.addi(v.mul(momentum)).muli(learningRate));
        }
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        velocity.forEach((name, v) -> out.put(VELOCITY + name, v.dup()));
        return out;
    }

    @Override
    public void load(Map<String, INDArray> state) {
        velocity.clear();
        state.forEach((key, value) -> velocity.put(OptimizerState.strip(key, VELOCITY), value.dup()));
    }
}
