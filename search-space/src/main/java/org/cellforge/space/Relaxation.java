package org.cellforge.space;

import java.util.List;

/**
 * The shape of a continuous relaxation (as in DARTS): for each searched cell, one weight per
 * (edge, operation), so architecture logits form a {@code cells × edges × ops} array.
 *
 * @param cells names of the searched cells, such as {@code normal} and {@code reduce}
 * @param edges names of the edges of each cell, such as {@code 0->2}
 * @param ops the candidate operations of every edge
 */
public record Relaxation(List<String> cells, List<String> edges, List<String> ops) {

    public Relaxation {
        cells = List.copyOf(cells);
        edges = List.copyOf(edges);
        ops = List.copyOf(ops);
        if (cells.isEmpty() || edges.isEmpty() || ops.isEmpty()) {
            throw new IllegalArgumentException("a relaxation needs cells, edges and ops");
        }
    }

    /** {@code {cells, edges, ops}}. */
    public int[] shape() {
        return new int[] {cells.size(), edges.size(), ops.size()};
    }

    /**
     * Checks that {@code logits} has this shape and finite values.
     *
     * @throws IllegalArgumentException naming the first mismatch
     */
    public void check(double[][][] logits) {
        if (logits.length != cells.size()) {
            throw new IllegalArgumentException("expected logits for " + cells.size() + " cells " + cells + ", got "
                    + logits.length);
        }
        for (int c = 0; c < logits.length; c++) {
            if (logits[c].length != edges.size()) {
                throw new IllegalArgumentException("cell " + cells.get(c) + ": expected " + edges.size()
                        + " edges, got " + logits[c].length);
            }
            for (int e = 0; e < logits[c].length; e++) {
                if (logits[c][e].length != ops.size()) {
                    throw new IllegalArgumentException("cell " + cells.get(c) + " edge " + edges.get(e) + ": expected "
                            + ops.size() + " op weights, got " + logits[c][e].length);
                }
                for (double v : logits[c][e]) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("cell " + cells.get(c) + " edge " + edges.get(e)
                                + ": weights must be finite, got " + v);
                    }
                }
            }
        }
    }

    /** Softmax of one edge's logits, computed stably. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
