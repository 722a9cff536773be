package org.cellforge.controller;

/**
 * What an evaluation measured, as a vector: the quality to maximize and the two costs to minimize.
 *
 * @param accuracy the quality to maximize (validation accuracy in a search; any finite score in tests)
 * @param parameters trainable parameters of the network
 * @param flops multiply-accumulates per image
 */
public record Objectives(double accuracy, long parameters, long flops) {

    public Objectives {
        if (!Double.isFinite(accuracy)) {
            throw new IllegalArgumentException("accuracy must be finite, got " + accuracy);
        }
        if (parameters < 0 || flops < 0) {
            throw new IllegalArgumentException("parameters and flops must be >= 0, got " + parameters + " and "
                    + flops);
        }
    }

    /** The costs an evaluation knows before training. */
    public static Objectives of(double accuracy, Cost cost) {
        return new Objectives(accuracy, cost.parameters(), cost.flops());
    }

    /** The cost part. */
    public Cost cost() {
        return new Cost(parameters, flops);
    }
}
