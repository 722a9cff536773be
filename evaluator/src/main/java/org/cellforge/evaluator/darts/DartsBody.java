package org.cellforge.evaluator.darts;

import java.util.List;

import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The chain of DARTS cells after the stem: cell k reads the outputs of cells k-2 and k-1 (the stem's for the first two). */
final class DartsBody implements Layer {

    private final List<DartsCellLayer> cells;

    DartsBody(List<DartsCellLayer> cells) {
        this.cells = List.copyOf(cells);
    }

    @Override
    public INDArray forward(INDArray x, boolean train) {
        INDArray s0 = x;
        INDArray s1 = x;
        for (DartsCellLayer cell : cells) {
            INDArray next = cell.forward(s0, s1, train);
            s0 = s1;
            s1 = next;
        }
        return s1;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        // grads[k] is the gradient of state k: state 0 and 1 are the stem output, state k+2 cell k's output.
        int n = cells.size();
        INDArray[] grads = new INDArray[n + 2];
        grads[n + 1] = gradOut;
        for (int k = n - 1; k >= 0; k--) {
            if (grads[k + 2] == null) {
                continue;
            }
            INDArray[] g = cells.get(k).backward(grads[k + 2]);
            grads[k] = add(grads[k], g[0]);
            grads[k + 1] = add(grads[k + 1], g[1]);
        }
        return add(grads[0], grads[1]);
    }

    private static INDArray add(INDArray sum, INDArray g) {
        if (g == null) {
            return sum;
        }
        return sum == null ? g.dup() : sum.addi(g);
    }

    @Override
    public String export(GraphWriter out, String input) {
        String s0 = input;
        String s1 = input;
        for (DartsCellLayer cell : cells) {
            String next = cell.export(out, s0, s1);
            s0 = s1;
            s1 = next;
        }
        return s1;
    }
}
