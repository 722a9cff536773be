package org.cellforge.evaluator;

/** Cosine annealing from a base value to zero over a fixed number of steps (as PyTorch's CosineAnnealingLR). */
final class CosineSchedule {

    private final double base;
    private final int steps;

    CosineSchedule(double base, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("a cosine schedule needs at least one step, got " + steps);
        }
        this.base = base;
        this.steps = steps;
    }

    /** The value at zero-based step {@code iteration}. */
    double valueAt(int iteration) {
        double progress = Math.min(iteration, steps) / (double) steps;
        return 0.5 * base * (1 + Math.cos(Math.PI * progress));
    }
}
