package org.cellforge.space.nb201;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.cellforge.space.ArchitectureFormatException;
import org.cellforge.space.SearchSpace;

/**
 * The NAS-Bench-201 space over a set of candidate operations. The standard set has five
 * operations, giving 5^6 = 15,625 arch strings.
 */
public final class Nb201Space implements SearchSpace<Nb201Cell> {

    /** Name of the space in configuration, storage and exports. */
    public static final String NAME = "nas-bench-201";

    /** The five operations of the published benchmark, in its order. */
    public static final List<String> STANDARD_OPS =
            List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");

    private static final Nb201Space STANDARD = new Nb201Space(STANDARD_OPS);

    private final List<String> ops;

    private Nb201Space(List<String> ops) {
        this.ops = ops;
    }

    /** The space of the published benchmark. */
    public static Nb201Space standard() {
        return STANDARD;
    }

    /**
     * A space over a custom operation set.
     *
     * @throws IllegalArgumentException if the set is empty or has duplicate or malformed names
     */
    public static Nb201Space of(List<String> ops) {
        Objects.requireNonNull(ops, "ops");
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("an NB201 space needs at least one operation");
        }
        if (new LinkedHashSet<>(ops).size() != ops.size()) {
            throw new IllegalArgumentException("operation names must be distinct, got " + ops);
        }
        // Validates every name the same way a cell does.
        ops.forEach(op -> Nb201Cell.of(op, op, op, op, op, op));
        return new Nb201Space(List.copyOf(ops));
    }

    /** The candidate operations. */
    public List<String> ops() {
        return ops;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BigInteger size() {
        return BigInteger.valueOf(ops.size()).pow(Nb201Cell.EDGES);
    }

    @Override
    public Nb201Cell sample(RandomGenerator random) {
        List<String> chosen = new ArrayList<>(Nb201Cell.EDGES);
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            chosen.add(ops.get(random.nextInt(ops.size())));
        }
        return Nb201Cell.of(chosen);
    }

    /** Whether every operation of {@code cell} belongs to this space. */
    public boolean contains(Nb201Cell cell) {
        return ops.containsAll(cell.ops());
    }

    /**
     * Reads {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}. Whitespace around the whole string is
     * ignored; inside it is an error, as in the published format.
     */
    @Override
    public Nb201Cell parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ArchitectureFormatException(String.valueOf(text), "", 0,
                    "empty; expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2|");
        }
        String s = text.strip();
        int shift = text.indexOf(s);
        List<String> chosen = new ArrayList<>(Nb201Cell.EDGES);
        int start = 0;
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            int end = s.indexOf('+', start);
            boolean last = to == Nb201Cell.NODES - 1;
            if (last && end >= 0) {
                throw error(text, s.substring(end), shift + end,
                        "an NB201 cell has " + (Nb201Cell.NODES - 1) + " node groups; remove the extra ones");
            }
            if (!last && end < 0) {
                throw error(text, s.substring(start), shift + start,
                        "expected " + (Nb201Cell.NODES - 1) + " node groups separated by '+', found " + to);
            }
            String group = last ? s.substring(start) : s.substring(start, end);
            parseNode(text, group, shift + start, to, chosen);
            start = end + 1;
        }
        return Nb201Cell.of(chosen);
    }

    private void parseNode(String text, String group, int offset, int to, List<String> out) {
        if (group.length() < 2 || group.charAt(0) != '|' || group.charAt(group.length() - 1) != '|') {
            throw error(text, group, offset, "node " + to + " must be written |op~0|...|op~" + (to - 1) + "|");
        }
        int pos = 1;
        for (int from = 0; from < to; from++) {
            int bar = group.indexOf('|', pos);
            if (bar < 0) {
                throw error(text, group.substring(pos), offset + pos, "node " + to + " needs " + to + " edges");
            }
            String token = group.substring(pos, bar);
            int at = offset + pos;
            int tilde = token.indexOf('~');
            if (tilde < 0) {
                throw error(text, token, at, "an edge is written op~input, for example nor_conv_3x3~" + from);
            }
            String op = token.substring(0, tilde);
            String input = token.substring(tilde + 1);
            if (!ops.contains(op)) {
                throw error(text, op, at, "unknown operation; this space has " + ops);
            }
            if (!input.equals(Integer.toString(from))) {
                throw error(text, input, at + tilde + 1,
                        "edge " + (from + 1) + " of node " + to + " must read from node " + from);
            }
            out.add(op);
            pos = bar + 1;
        }
        if (pos != group.length()) {
            throw error(text, group.substring(pos), offset + pos,
                    "node " + to + " has exactly " + to + " edges; remove the extra ones");
        }
    }

    private static ArchitectureFormatException error(String text, String token, int position, String reason) {
        return new ArchitectureFormatException(text, token, position, reason);
    }

    @Override
    public String toString() {
        return NAME + ops;
    }
}
