package org.cellforge.evaluator;

import java.util.Locale;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates weights in place from their gradients at a given learning rate. */
@FunctionalInterface
public interface Optimizer {

    /**
     * One step; the gradient arrays may be overwritten (the map is only read), weights without a
     * gradient are left alone.
     */
    void step(Map<String, INDArray> weights, Map<String, INDArray> gradients, double learningRate);

    /**
     * The optimizer's per-weight state (momentum, moments, step counts) by name, for checkpoints:
     * {@link #load} of it into a fresh optimizer of the same kind continues step for step.
     */
    default Map<String, INDArray> state() {
        return Map.of();
    }

    /** Replaces this optimizer's state by {@code state}, as {@link #state()} gave it. */
    default void load(Map<String, INDArray> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("this optimizer keeps no state, but " + state.size()
                    + " array(s) were given");
        }
    }

    /** The update rules a search can choose. */
    enum Kind {
        /** SGD with Nesterov momentum and coupled weight decay, as the NAS papers train. */
        SGD,
        /** Adam with coupled (L2) weight decay, as PyTorch's Adam. */
        ADAM;

        /** The configuration name, lower case. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind named {@code name}, ignoring case.
         *
         * @throws IllegalArgumentException naming the accepted names
         */
        public static Kind fromConfigName(String name) {
            for (Kind k : values()) {
                if (k.configName().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected sgd or adam");
        }
    }

    /** Adam with the given moment decays, epsilon and L2 weight decay (DARTS trains its alpha with (0.5, 0.999)). */
    static Optimizer adam(double beta1, double beta2, double epsilon, double weightDecay) {
        return new Adam(beta1, beta2, epsilon, weightDecay);
    }

    /** A fresh optimizer of {@code settings}' kind (optimizers keep per-weight state). */
    static Optimizer of(TrainSettings settings) {
        return switch (settings.optimizer()) {
            case SGD -> new SgdNesterov(settings.momentum(), settings.weightDecay());
            case ADAM -> new Adam(0.9, 0.999, 1e-8, settings.weightDecay());
        };
    }
}
