package org.cellforge.space.darts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cellforge.space.Architecture;

/**
 * A DARTS genotype: a normal and a reduction cell. Nodes 0 and 1 of a cell are the outputs of the two
 * previous cells; intermediate node {@code i ≥ 2} sums two operations, listed as the pairs
 * {@code 2(i-2)} and {@code 2(i-2)+1}, each reading an earlier node; the cell outputs the channel-wise
 * concatenation of its {@code concat} nodes. Pairs keep the order they were written in, so the text
 * form round-trips exactly; {@link DartsSpace#canonical} ignores that order.
 *
 * <p>This type holds any genotype the DARTS text format can express (other node counts, one input
 * used twice, as in NASNet or AmoebaNet); {@link DartsSpace#contains} says whether it is in a space.
 */
public final class DartsGenotype implements Architecture {

    /**
     * One operation of a node.
     *
     * @param op operation name
     * @param input the node it reads
     */
    public record Edge(String op, int input) {

        public Edge {
            Objects.requireNonNull(op, "op");
            if (!op.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("operation name must start with a letter and hold only letters,"
                        + " digits, '_', '.' or '-', got '" + op + "'");
            }
        }
    }

    /** The two cell kinds. */
    public enum CellKind {
        /** Keeps resolution and width. */
        NORMAL,
        /** Halves resolution and doubles width: edges from nodes 0 and 1 have stride 2. */
        REDUCE
    }

    private final List<Edge> normal;
    private final List<Integer> normalConcat;
    private final List<Edge> reduce;
    private final List<Integer> reduceConcat;

    private DartsGenotype(List<Edge> normal, List<Integer> normalConcat, List<Edge> reduce, List<Integer> reduceConcat) {
        this.normal = normal;
        this.normalConcat = normalConcat;
        this.reduce = reduce;
        this.reduceConcat = reduceConcat;
    }

    /**
     * Creates a genotype.
     *
     * @throws IllegalArgumentException naming the cell and pair that is wrong
     */
    public static DartsGenotype of(List<Edge> normal, List<Integer> normalConcat, List<Edge> reduce,
            List<Integer> reduceConcat) {
        check("normal", normal, normalConcat);
        check("reduce", reduce, reduceConcat);
        if (normal.size() != reduce.size()) {
            throw new IllegalArgumentException("normal and reduce cells must have the same number of nodes, got "
                    + normal.size() / 2 + " and " + reduce.size() / 2);
        }
        return new DartsGenotype(List.copyOf(normal), List.copyOf(normalConcat), List.copyOf(reduce),
                List.copyOf(reduceConcat));
    }

    /**
     * Reads any genotype in the DARTS text form, whatever space it belongs to.
     *
     * @throws org.cellforge.space.ArchitectureFormatException naming the bad part and its position
     */
    public static DartsGenotype parse(String text) {
        return DartsText.parse(text);
    }

    private static void check(String cell, List<Edge> edges, List<Integer> concat) {
        Objects.requireNonNull(edges, cell);
        Objects.requireNonNull(concat, cell + "_concat");
        if (edges.isEmpty() || edges.size() % 2 != 0) {
            throw new IllegalArgumentException(cell + ": needs two (op, input) pairs per intermediate node, got "
                    + edges.size() + " pairs");
        }
        for (int i = 0; i < edges.size(); i++) {
            Edge e = Objects.requireNonNull(edges.get(i), cell + " pair " + i);
            int node = i / 2 + 2;
            if (e.input() < 0 || e.input() >= node) {
                throw new IllegalArgumentException(cell + ": pair " + i + " (" + e.op() + ", " + e.input()
                        + ") belongs to node " + node + " and must read a node in 0.." + (node - 1));
            }
        }
        int nodes = edges.size() / 2 + 2;
        if (concat.isEmpty()) {
            throw new IllegalArgumentException(cell + "_concat: must list at least one node");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer n : concat) {
            if (n == null || n < 2 || n >= nodes) {
                throw new IllegalArgumentException(cell + "_concat: node " + n + " is not an intermediate node (2.."
                        + (nodes - 1) + ")");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException(cell + "_concat: node " + n + " is listed twice");
            }
        }
    }

    /** The pairs of the normal cell. */
    public List<Edge> normal() {
        return normal;
    }

    /** The concatenated nodes of the normal cell. */
    public List<Integer> normalConcat() {
        return normalConcat;
    }

    /** The pairs of the reduction cell. */
    public List<Edge> reduce() {
        return reduce;
    }

    /** The concatenated nodes of the reduction cell. */
    public List<Integer> reduceConcat() {
        return reduceConcat;
    }

    /** The pairs of one cell. */
    public List<Edge> edges(CellKind kind) {
        return kind == CellKind.NORMAL ? normal : reduce;
    }

    /** The concatenated nodes of one cell. */
    public List<Integer> concat(CellKind kind) {
        return kind == CellKind.NORMAL ? normalConcat : reduceConcat;
    }

    /** Number of intermediate nodes per cell. */
    public int steps() {
        return normal.size() / 2;
    }

    /** A copy with one cell replaced. */
    public DartsGenotype with(CellKind kind, List<Edge> edges) {
        return kind == CellKind.NORMAL ? of(edges, normalConcat, reduce, reduceConcat)
                : of(normal, normalConcat, edges, reduceConcat);
    }

    /** Every operation name used, in order of appearance. */
    public List<String> opNames() {
        List<String> out = new ArrayList<>();
        normal.forEach(e -> out.add(e.op()));
        reduce.forEach(e -> out.add(e.op()));
        return out;
    }

    @Override
    public String space() {
        return DartsSpace.NAME;
    }

    /** The DARTS text form, {@code Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], ...)}. */
    @Override
    public String key() {
        return "Genotype(normal=" + pairs(normal) + ", normal_concat=" + normalConcat + ", reduce=" + pairs(reduce)
                + ", reduce_concat=" + reduceConcat + ")";
    }

    private static String pairs(List<Edge> edges) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < edges.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append("('").append(edges.get(i).op()).append("', ").append(edges.get(i).input()).append(')');
        }
        return out.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DartsGenotype g && normal.equals(g.normal) && normalConcat.equals(g.normalConcat)
                && reduce.equals(g.reduce) && reduceConcat.equals(g.reduceConcat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normal, normalConcat, reduce, reduceConcat);
    }

    @Override
    public String toString() {
        return key();
    }
}
