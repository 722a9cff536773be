package org.cellforge.evaluator.darts;

import java.util.ArrayList;
import java.util.List;

import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One DARTS cell: both inputs are preprocessed to width C (states 0 and 1); each intermediate
 * state sums the operations that feed it (two in a genotype's cell, one mixed operation per
 * earlier state in a search cell); the output joins the {@code concat} states along the channels.
 * It takes two inputs, so the network runs cells through {@link DartsBody}.
 */
final class DartsCellLayer {

    /**
     * An operation from state {@code input} to state {@code target}.
     *
     * @param op the operation
     * @param input the state it reads (0 and 1 are the cell inputs)
     * @param target the intermediate state it adds to (2 or more)
     */
    record Edge(Layer op, int input, int target) {
    }

    private final Layer preprocess0;
    private final Layer preprocess1;
    private final List<Edge> edges;
    private final List<Integer> concat;
    private final int states;
    private long[] stateChannels;

    /** Edges must come ordered by target state, and read only earlier states. */
    DartsCellLayer(Layer preprocess0, Layer preprocess1, List<Edge> edges, List<Integer> concat) {
        this.preprocess0 = preprocess0;
        this.preprocess1 = preprocess1;
        this.edges = List.copyOf(edges);
        this.concat = List.copyOf(concat);
        int last = 1;
        for (Edge e : edges) {
            if (e.target() < last || e.input() >= e.target()) {
                throw new IllegalArgumentException("cell edges must be ordered by target and read earlier states");
            }
            last = e.target();
        }
        this.states = last + 1;
    }

    INDArray forward(INDArray s0, INDArray s1, boolean train) {
        INDArray[] state = new INDArray[states];
        state[0] = preprocess0.forward(s0, train);
        state[1] = preprocess1.forward(s1, train);
        for (Edge e : edges) {
            INDArray term = e.op().forward(state[e.input()], train);
            // Operations may return their input (identity) or arrays they keep: sums are fresh arrays.
            state[e.target()] = state[e.target()] == null ? term.dup() : state[e.target()].addi(term);
        }
        stateChannels = new long[concat.size()];
        INDArray[] parts = new INDArray[concat.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = state[concat.get(i)];
            stateChannels[i] = parts[i].size(3);
        }
        return Nd4j.concat(3, parts);
    }

    /** Gradients of the two cell inputs, in order (null where an input does not reach the output). */
    INDArray[] backward(INDArray gradOut) {
        INDArray[] grads = new INDArray[states];
        long at = 0;
        for (int i = 0; i < concat.size(); i++) {
            INDArray part = gradOut.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(at, at + stateChannels[i])).dup('c');
            grads[concat.get(i)] = add(grads[concat.get(i)], part);
            at += stateChannels[i];
        }
        for (int k = edges.size() - 1; k >= 0; k--) {
            Edge e = edges.get(k);
            if (grads[e.target()] != null) {
                grads[e.input()] = add(grads[e.input()], e.op().backward(grads[e.target()]));
            }
        }
        return new INDArray[] {
            grads[0] == null ? null : preprocess0.backward(grads[0]),
            grads[1] == null ? null : preprocess1.backward(grads[1])};
    }

    /** {@code sum + g} without writing into {@code g}, which a layer may own or share. */
    private static INDArray add(INDArray sum, INDArray g) {
        return sum == null ? g.dup() : sum.addi(g);
    }

    String export(GraphWriter out, String s0, String s1) {
        List<String> state = new ArrayList<>();
        state.add(preprocess0.export(out, s0));
        state.add(preprocess1.export(out, s1));
        for (Edge e : edges) {
            String term = e.op().export(out, state.get(e.input()));
            if (state.size() <= e.target()) {
                state.add(term);
            } else {
                state.set(e.target(), out.add(state.get(e.target()), term));
            }
        }
        return out.concat(concat.stream().map(state::get).toList());
    }
}
