package org.cellforge.evaluator.darts;

import java.util.ArrayList;
import java.util.List;

import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One DARTS cell: both inputs are preprocessed to width C; each intermediate node sums two
 * operations applied to earlier states; the output joins the {@code concat} states along the
 * channels. It takes two inputs, so the network runs cells through {@link DartsBody}.
 */
final class DartsCellLayer {

    /** An operation and the state it reads (0 and 1 are the cell inputs). */
    record Edge(Layer op, int input) {
    }

    private final Layer preprocess0;
    private final Layer preprocess1;
    private final List<Edge> edges;
    private final List<Integer> concat;
    private long[] stateChannels;

    DartsCellLayer(Layer preprocess0, Layer preprocess1, List<Edge> edges, List<Integer> concat) {
        this.preprocess0 = preprocess0;
        this.preprocess1 = preprocess1;
        this.edges = List.copyOf(edges);
        this.concat = List.copyOf(concat);
    }

    INDArray forward(INDArray s0, INDArray s1, boolean train) {
        List<INDArray> states = new ArrayList<>();
        states.add(preprocess0.forward(s0, train));
        states.add(preprocess1.forward(s1, train));
        for (int node = 0; node < edges.size() / 2; node++) {
            Edge a = edges.get(2 * node);
            Edge b = edges.get(2 * node + 1);
            INDArray x = a.op().forward(states.get(a.input()), train);
            INDArray y = b.op().forward(states.get(b.input()), train);
            // Operations may return their input (identity) or arrays they keep: the sum is fresh.
            states.add(x.add(y));
        }
        stateChannels = new long[concat.size()];
        INDArray[] parts = new INDArray[concat.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = states.get(concat.get(i));
            stateChannels[i] = parts[i].size(3);
        }
        return Nd4j.concat(3, parts);
    }

    /** Gradients of the two cell inputs, in order. */
    INDArray[] backward(INDArray gradOut) {
        int nodes = edges.size() / 2;
        INDArray[] grads = new INDArray[nodes + 2];
        long at = 0;
        for (int i = 0; i < concat.size(); i++) {
            INDArray part = gradOut.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(at, at + stateChannels[i])).dup('c');
            grads[concat.get(i)] = add(grads[concat.get(i)], part);
            at += stateChannels[i];
        }
        for (int node = nodes - 1; node >= 0; node--) {
            INDArray g = grads[node + 2];
            if (g == null) {
                continue;
            }
            for (Edge e : List.of(edges.get(2 * node + 1), edges.get(2 * node))) {
                grads[e.input()] = add(grads[e.input()], e.op().backward(g));
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
        List<String> states = new ArrayList<>();
        states.add(preprocess0.export(out, s0));
        states.add(preprocess1.export(out, s1));
        for (int node = 0; node < edges.size() / 2; node++) {
            Edge a = edges.get(2 * node);
            Edge b = edges.get(2 * node + 1);
            states.add(out.add(a.op().export(out, states.get(a.input())), b.op().export(out, states.get(b.input()))));
        }
        return out.concat(concat.stream().map(states::get).toList());
    }
}
