package org.cellforge.evaluator;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam as PyTorch's {@code Adam}: L2 weight decay added to the gradient, bias-corrected moments,
 * {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}. Each weight counts its own steps, so weights that
 * a supernet path leaves out are not decayed by steps they took no part in.
 */
final class Adam implements Optimizer {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, INDArray> first = new HashMap<>();
    private final Map<String, INDArray> second = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    private static final String FIRST = "first/";
    private static final String SECOND = "second/";
    private static final String STEPS = "steps/";

    Adam(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, INDArray> weights, Map<String, INDArray> gradients, double learningRate) {
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray p = weights.get(e.getKey());
            if (p == null) {
                continue;
            }
            INDArray g = e.getValue();
            if (weightDecay != 0) {
                g.addi(p.mul(weightDecay));
            }
            int t = steps.merge(e.getKey(), 1, Integer::sum);
            INDArray m = first.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            INDArray v = second.computeIfAbsent(e.getKey(), k -> p.ulike().assign(0));
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.muli(g).muli(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            INDArray denominator = Transforms.sqrt(v.div(correction2), false).addi(epsilon);
            p.subi(m.div(denominator).muli(learningRate / correction1));
        }
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        first.forEach((name, m) -> out.put(FIRST + name, m.dup()));
        second.forEach((name, v) -> out.put(SECOND + name, v.dup()));
        steps.forEach((name, t) -> out.put(STEPS + name, org.nd4j.linalg.factory.Nd4j.scalar((double) t)));
        return out;
    }

    @Override
    public void load(Map<String, INDArray> state) {
        first.clear();
        second.clear();
        steps.clear();
        state.forEach((key, value) -> {
            if (key.startsWith(FIRST)) {
                first.put(key.substring(FIRST.length()), value.dup());
            } else if (key.startsWith(SECOND)) {
                second.put(key.substring(SECOND.length()), value.dup());
            } else {
                steps.put(OptimizerState.strip(key, STEPS), (int) Math.round(value.getDouble(0)));
            }
        });
    }
}
