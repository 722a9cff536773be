package org.cellforge.engine.stopping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.engine.TrialStatus;

/**
 * The validation accuracy after each epoch of every trial of a search, with how each trial ended:
 * what early-stopping rules compare a running trial against.
 */
public final class LearningCurves {

    /** One trial's curve. */
    public static final class Curve {
        private final List<Double> accuracies = new ArrayList<>();
        private TrialStatus status = TrialStatus.RUNNING;

        /** Validation accuracy after each epoch, in order. */
        public List<Double> accuracies() {
            return accuracies;
        }

        /** How the trial ended, or RUNNING. */
        public TrialStatus status() {
            return status;
        }

        /** Epochs recorded. */
        public int epochs() {
            return accuracies.size();
        }

        /** Accuracy after epoch {@code epoch} (one-based). */
        public double at(int epoch) {
            return accuracies.get(epoch - 1);
        }
    }

    private final Map<Integer, Curve> curves = new LinkedHashMap<>();

    /** Records the accuracy after {@code epoch} of trial {@code trial}; epochs arrive in order. */
    public void epoch(int trial, int epoch, double validationAccuracy) {
        Curve c = curves.computeIfAbsent(trial, t -> new Curve());
        if (epoch != c.accuracies.size() + 1) {
            throw new IllegalArgumentException("trial " + trial + ": epoch " + epoch + " after " + c.accuracies.size());
        }
        c.accuracies.add(validationAccuracy);
    }

    /** Records how trial {@code trial} ended. */
    public void ended(int trial, TrialStatus status) {
        curves.computeIfAbsent(trial, t -> new Curve()).status = status;
    }

    /** Trial {@code trial}'s curve (empty if nothing was recorded). */
    public Curve of(int trial) {
        return curves.getOrDefault(trial, new Curve());
    }

    /** Every trial's curve by trial number. */
    public Map<Integer, Curve> all() {
        return curves;
    }

    /** The curves other than {@code trial}'s. */
    public Collection<Map.Entry<Integer, Curve>> others(int trial) {
        return curves.entrySet().stream().filter(e -> e.getKey() != trial).toList();
    }
}
