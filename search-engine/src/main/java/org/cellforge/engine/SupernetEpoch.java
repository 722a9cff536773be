package org.cellforge.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One epoch of a supernet's training in a weight-sharing or DARTS search.
 *
 * @param epoch one-based epoch
 * @param epochs epochs in all
 * @param metrics loss and accuracy on the training batches; the validation accuracy is a supernet
 *        estimate (of a sampled path, or of DARTS's relaxed network), never a stand-alone result
 * @param alpha for DARTS: softmax of the architecture weights after the epoch, per cell kind
 */
public record SupernetEpoch(int epoch, int epochs, EpochRecord metrics, Optional<List<CellWeights>> alpha) {

    public SupernetEpoch {
        Objects.requireNonNull(metrics, "metrics");
        alpha = alpha.map(List::copyOf);
    }

    /**
     * The architecture weights of one kind of cell.
     *
     * @param cell the cell's name in the relaxation ({@code cell} for NB201; {@code normal}, {@code reduce})
     * @param ops the candidate operations, in column order
     * @param weights softmax of alpha, one row per edge in the relaxation's order
     */
    public record CellWeights(String cell, List<String> ops, double[][] weights) {
        public CellWeights {
            ops = List.copyOf(ops);
        }
    }
}
