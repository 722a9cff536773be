package org.cellforge.evaluator.supernet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight-sharing supernet over the DARTS space: one weight set per (cell, input, intermediate
 * state, operation), plus the shared stem, preprocessing and head. A genotype's network is a path on
 * these weights (see {@link DartsNetwork#path}), built from shared layer objects.
 */
public final class DartsSupernet {

    private final DartsSpace space;
    private final DartsMacro macro;
    private final Parameters store;
    private final NetworkBuilder.Parts parts = new NetworkBuilder.Parts();

    private DartsSupernet(DartsSpace space, DartsMacro macro, long seed) {
        this.space = space;
        this.macro = macro;
        this.store = Parameters.of(DataType.FLOAT, seed);
        // Every operation on every (input, state) pair once, in a fixed order, so that a seed fixes all
        // initial weights and a stored state always finds the weights it restores.
        int maxInputs = space.steps() + 1;
        for (String op : space.discreteOps()) {
            for (int k = 0; k < maxInputs; k++) {
                List<DartsGenotype.Edge> edges = new ArrayList<>();
                List<Integer> concat = new ArrayList<>();
                for (int target = 2; target < space.steps() + 2; target++) {
                    edges.add(new DartsGenotype.Edge(op, k % target));
                    edges.add(new DartsGenotype.Edge(op, (k + 1) % target));
                    concat.add(target);
                }
                path(DartsGenotype.of(edges, concat, edges, concat));
            }
        }
    }

    /**
     * A supernet for {@code space} at {@code macro} with weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if an operation of the space cannot be built
     */
    public static DartsSupernet of(DartsSpace space, DartsMacro macro, long seed) {
        return new DartsSupernet(Objects.requireNonNull(space, "space"), Objects.requireNonNull(macro, "macro"), seed);
    }

    /** The shared weights. */
    public Parameters store() {
        return store;
    }

    /** All trainable scalars of the supernet. */
    public long parameterCount() {
        return store.weights().values().stream().mapToLong(INDArray::length).sum();
    }

    /** The network of {@code genotype} on the shared weights. */
    public Network path(DartsGenotype genotype) {
        if (!space.contains(genotype)) {
            throw new IllegalArgumentException("architecture " + genotype.key() + " is not in the supernet's space");
        }
        return DartsNetwork.path(space, genotype, macro, store, parts);
    }
}
