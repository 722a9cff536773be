package org.cellforge.space.nb201;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

import org.cellforge.space.Architecture;

/**
 * A NAS-Bench-201 cell: nodes 0..3, node 0 is the cell input and node 3 its output; every node
 * {@code j} sums one operation applied to each earlier node {@code i < j}. The six operations are
 * kept in the order of the public arch string: edges 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
 */
public final class Nb201Cell implements Architecture {

    /** Number of nodes including the input node. */
    public static final int NODES = 4;

    /** Number of edges (one operation each). */
    public static final int EDGES = NODES * (NODES - 1) / 2;

    private final List<String> ops;

    private Nb201Cell(List<String> ops) {
        this.ops = ops;
    }

    /**
     * Creates a cell from its six operations in arch-string order.
     *
     * @throws IllegalArgumentException if there are not six non-blank operation names
     */
    public static Nb201Cell of(List<String> ops) {
        Objects.requireNonNull(ops, "ops");
        if (ops.size() != EDGES) {
            throw new IllegalArgumentException(
                    "an NB201 cell needs " + EDGES + " operations (edges 0->1, 0->2, 1->2, 0->3, 1->3, 2->3), got "
                            + ops.size());
        }
        for (int e = 0; e < EDGES; e++) {
            String op = ops.get(e);
            if (op == null || op.isBlank() || !op.equals(op.strip()) || op.contains("|") || op.contains("~")
                    || op.contains("+")) {
                throw new IllegalArgumentException("operation of edge " + from(e) + "->" + to(e)
                        + " must be a plain name without '|', '~', '+' or spaces, got '" + op + "'");
            }
        }
        return new Nb201Cell(List.copyOf(ops));
    }

    /** Creates a cell from its six operations in arch-string order. */
    public static Nb201Cell of(String... ops) {
        return of(List.of(ops));
    }

    /** Index of the edge {@code from → to} in arch-string order. */
    public static int edge(int from, int to) {
        if (to < 1 || to >= NODES || from < 0 || from >= to) {
            throw new IllegalArgumentException("no edge " + from + "->" + to + " in an NB201 cell");
        }
        return to * (to - 1) / 2 + from;
    }

    /** Source node of edge {@code e}. */
    public static int from(int e) {
        int to = to(e);
        return e - to * (to - 1) / 2;
    }

    /** Target node of edge {@code e}. */
    public static int to(int e) {
        if (e < 0 || e >= EDGES) {
            throw new IllegalArgumentException("edge index must be in [0, " + EDGES + "), got " + e);
        }
        return e < 1 ? 1 : e < 3 ? 2 : 3;
    }

    /** The six operations in arch-string order. */
    public List<String> ops() {
        return ops;
    }

    /** The operation on edge {@code e}. */
    public String op(int e) {
        return ops.get(e);
    }

    /** The operation on edge {@code from → to}. */
    public String op(int from, int to) {
        return ops.get(edge(from, to));
    }

    @Override
    public String space() {
        return Nb201Space.NAME;
    }

    @Override
    public String key() {
        StringJoiner nodes = new StringJoiner("+");
        for (int to = 1; to < NODES; to++) {
            StringBuilder node = new StringBuilder("|");
            for (int from = 0; from < to; from++) {
                node.append(op(from, to)).append('~').append(from).append('|');
            }
            nodes.add(node);
        }
        return nodes.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nb201Cell other && ops.equals(other.ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    @Override
    public String toString() {
        return key();
    }
}
