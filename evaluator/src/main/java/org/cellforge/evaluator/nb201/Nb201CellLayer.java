package org.cellforge.evaluator.nb201;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Layer;
import org.cellforge.space.nb201.Nb201Cell;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One NB201 cell: node j is the sum over i &lt; j of edge(i→j) applied to node i; node 3 is the
 * output. Zero edges are left out of the sums rather than computed as zeros.
 */
final class Nb201CellLayer implements Layer {

    /** Slots per cell: a node copy and a gradient copy per node. */
    static final int SCRATCH = 2 * Nb201Cell.NODES;

    /** Edge layers in arch-string order; null for a zero operation. */
    private final List<Layer> edges;
    private final INDArray[] scratch;

    /**
     * A cell of {@code edges} that copies, where it must, into {@code scratch}: {@link #SCRATCH}
     * slots it may share with the other cells of its position (supernet paths), never used at once.
     */
    Nb201CellLayer(List<Layer> edges, INDArray[] scratch) {
        if (edges.size() != Nb201Cell.EDGES || scratch.length != SCRATCH) {
            throw new IllegalArgumentException("an NB201 cell has " + Nb201Cell.EDGES + " edges and " + SCRATCH
                    + " scratch slots, got " + edges.size() + " and " + scratch.length);
        }
        this.edges = new ArrayList<>(edges);
        this.scratch = scratch;
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        INDArray[] nodes = new INDArray[Nb201Cell.NODES];
        nodes[0] = x;
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            INDArray sum = null;
            for (int from = 0; from < to; from++) {
                Layer edge = edges.get(Nb201Cell.edge(from, to));
                if (edge != null) {
                    INDArray term = edge.forward(nodes[from], train);
                    // Edge layers own their outputs, so a sum can go into its first term, unless that
                    // term is a node itself (identity edge): then it goes into a copy the cell owns.
                    sum = sum == null ? (term == nodes[from] ? copy(to, term) : term) : sum.addi(term);
                }
            }
            nodes[to] = sum == null ? copy(to, x).assign(0) : sum;
        }
        return nodes[Nb201Cell.NODES - 1];
    }

    @Override
    public String export(GraphWriter out, String input) {
        String[] nodes = new String[Nb201Cell.NODES];
        nodes[0] = input;
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            String sum = null;
            for (int from = 0; from < to; from++) {
                Layer edge = edges.get(Nb201Cell.edge(from, to));
                if (edge != null) {
                    String term = edge.export(out, nodes[from]);
                    sum = sum == null ? term : out.add(sum, term);
                }
            }
            nodes[to] = sum == null ? out.zerosLike(input) : sum;
        }
        return nodes[Nb201Cell.NODES - 1];
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray[] grads = new INDArray[Nb201Cell.NODES];
        grads[Nb201Cell.NODES - 1] = gradOut;
        for (int to = Nb201Cell.NODES - 1; to >= 1; to--) {
            if (grads[to] == null) {
                continue;
            }
            for (int from = to - 1; from >= 0; from--) {
                Layer edge = edges.get(Nb201Cell.edge(from, to));
                if (edge != null) {
                    INDArray g = edge.backward(grads[to]);
                    grads[from] = grads[from] == null ? (g == grads[to] ? copy(Nb201Cell.NODES + from, g) : g)
                            : grads[from].addi(g);
                }
            }
        }
        return grads[0] == null ? copy(Nb201Cell.NODES, gradOut).assign(0) : grads[0];
    }

    /** {@code value} copied into scratch slot {@code i}, reusing the slot's array when shapes agree. */
    private INDArray copy(int i, INDArray value) {
        if (scratch[i] == null || !Arrays.equals(scratch[i].shape(), value.shape())
                || scratch[i].dataType() != value.dataType()) {
            scratch[i] = value.ulike();
        }
        return scratch[i].assign(value);
    }
}
