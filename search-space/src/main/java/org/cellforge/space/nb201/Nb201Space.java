package org.cellforge.space.nb201;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.cellforge.space.ArchitectureFormatException;
import org.cellforge.space.ArchitectureJson;
import org.cellforge.space.CanonicalForm;
import org.cellforge.space.CellExpression;
import org.cellforge.space.Encoding;
import org.cellforge.space.Relaxation;
import org.cellforge.space.SearchSpace;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.cellforge.space.ops.OpSet;

/**
 * The NAS-Bench-201 space over a set of candidate operations. The standard set has five
 * operations, giving 5^6 = 15,625 arch strings; {@link #canonical} merges those that compute the same
 * function.
 */
public final class Nb201Space implements SearchSpace<Nb201Cell> {

    /** Name of the space in configuration, storage and exports. */
    public static final String NAME = "nas-bench-201";

    /** The five operations of the published benchmark, in its order. */
    public static final List<String> STANDARD_OPS =
            List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");

    /** Format name of the JSON form of a cell. */
    public static final String JSON_FORMAT = ArchitectureJson.FORMAT;

    /** Version of the JSON form this code writes. */
    public static final int JSON_VERSION = ArchitectureJson.VERSION;

    private static final Nb201Space STANDARD = of(OpRegistry.builtIn(), STANDARD_OPS);

    private final OpSet set;
    private final List<String> names;
    private final JsonForm form = new JsonForm();

    private Nb201Space(OpSet set) {
        this.set = set;
        this.names = set.names();
    }

    /** The space of the published benchmark. */
    public static Nb201Space standard() {
        return STANDARD;
    }

    /**
     * A space over built-in operations.
     *
     * @throws IllegalArgumentException if the set is empty, has duplicates or unknown names
     */
    public static Nb201Space of(List<String> ops) {
        return of(OpRegistry.builtIn(), ops);
    }

    /**
     * A space over operations of {@code registry}.
     *
     * @throws IllegalArgumentException if the set is empty, has duplicates or names the registry lacks
     */
    public static Nb201Space of(OpRegistry registry, List<String> ops) {
        return new Nb201Space(OpSet.of(registry, ops));
    }

    @Override
    public List<Op> ops() {
        return set.ops();
    }

    /** Names of the candidate operations, in encoding order. */
    public List<String> opNames() {
        return names;
    }

    /** The definition of an operation of this space. */
    public Op op(String name) {
        return set.get(name);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BigInteger size() {
        return BigInteger.valueOf(names.size()).pow(Nb201Cell.EDGES);
    }

    @Override
    public Nb201Cell sample(RandomGenerator random) {
        List<String> chosen = new ArrayList<>(Nb201Cell.EDGES);
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            chosen.add(names.get(random.nextInt(names.size())));
        }
        return Nb201Cell.of(chosen);
    }

    /** Whether every operation of {@code cell} belongs to this space. */
    @Override
    public boolean contains(Nb201Cell cell) {
        return cell.ops().stream().allMatch(set::contains);
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
            if (!set.contains(op)) {
                throw error(text, op, at, "unknown operation; this space has " + names);
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

    /**
     * The output of the cell as a {@link CellExpression} over the input {@code x}. Zero-fed nodes,
     * edges that cannot reach the output and node orders that differ only by relabelling all vanish in
     * it, because it describes the function, not the graph.
     */
    @Override
    public CanonicalForm canonical(Nb201Cell cell) {
        requireMember(cell);
        CellExpression[] node = new CellExpression[Nb201Cell.NODES];
        node[0] = CellExpression.input("x");
        for (int to = 1; to < Nb201Cell.NODES; to++) {
            List<CellExpression> inputs = new ArrayList<>(to);
            for (int from = 0; from < to; from++) {
                // Every NB201 cell edge keeps width and resolution.
                inputs.add(node[from].apply(op(cell.op(from, to)), 1, 1, 1));
            }
            node[to] = CellExpression.sum(inputs);
        }
        return new CanonicalForm(NAME, node[Nb201Cell.NODES - 1].toString());
    }

    @Override
    public Encoding<Nb201Cell> encoding() {
        return new Encoding<>() {
            @Override
            public int length() {
                return Nb201Cell.EDGES;
            }

            @Override
            public int cardinality(int position) {
                Objects.checkIndex(position, Nb201Cell.EDGES);
                return names.size();
            }

            @Override
            public String describe(int position) {
                return "op of edge " + Nb201Cell.from(position) + "->" + Nb201Cell.to(position);
            }

            @Override
            public int[] encode(Nb201Cell cell) {
                requireMember(cell);
                int[] genes = new int[Nb201Cell.EDGES];
                for (int e = 0; e < genes.length; e++) {
                    genes[e] = names.indexOf(cell.op(e));
                }
                return genes;
            }

            @Override
            public Nb201Cell decode(int[] genes) {
                check(genes);
                List<String> chosen = new ArrayList<>(genes.length);
                for (int g : genes) {
                    chosen.add(names.get(g));
                }
                return Nb201Cell.of(chosen);
            }
        };
    }

    @Override
    public Relaxation relaxation() {
        List<String> edges = new ArrayList<>(Nb201Cell.EDGES);
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            edges.add(Nb201Cell.from(e) + "->" + Nb201Cell.to(e));
        }
        return new Relaxation(List.of("cell"), edges, names);
    }

    /** The strongest operation of every edge, {@code none} included, as DARTS on NAS-Bench-201 does. */
    @Override
    public Nb201Cell discretize(double[][][] logits) {
        relaxation().check(logits);
        List<String> chosen = new ArrayList<>(Nb201Cell.EDGES);
        for (double[] edge : logits[0]) {
            int best = 0;
            for (int o = 1; o < edge.length; o++) {
                if (edge[o] > edge[best]) {
                    best = o;
                }
            }
            chosen.add(names.get(best));
        }
        return Nb201Cell.of(chosen);
    }

    /** Changes the operation of one edge, chosen uniformly, to another operation, chosen uniformly. */
    @Override
    public Nb201Cell mutate(Nb201Cell parent, RandomGenerator random) {
        requireMember(parent);
        if (names.size() < 2) {
            throw new IllegalStateException("a space with one operation has one architecture; nothing to mutate to");
        }
        int edge = random.nextInt(Nb201Cell.EDGES);
        int current = names.indexOf(parent.op(edge));
        int next = random.nextInt(names.size() - 1);
        if (next >= current) {
            next++;
        }
        List<String> ops = new ArrayList<>(parent.ops());
        ops.set(edge, names.get(next));
        return Nb201Cell.of(ops);
    }

    /** Uniform crossover: every edge takes its operation from either parent with equal chance. */
    @Override
    public Nb201Cell crossover(Nb201Cell first, Nb201Cell second, RandomGenerator random) {
        requireMember(first);
        requireMember(second);
        List<String> ops = new ArrayList<>(Nb201Cell.EDGES);
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            ops.add(random.nextBoolean() ? first.op(e) : second.op(e));
        }
        return Nb201Cell.of(ops);
    }

    /**
     * The {@link ArchitectureJson} document: the arch string (the storage key), the same cell as
     * {@code edges} for readers, then the export sections.
     */
    @Override
    public String toJson(Nb201Cell cell, Map<String, ?> sections) {
        requireMember(cell);
        return ArchitectureJson.write(form, cell, sections);
    }

    /** Reads {@code arch}, {@code edges} or both; when both are given they must agree. */
    @Override
    public Nb201Cell fromJson(String json) {
        return ArchitectureJson.read(form, json);
    }

    /** The cell as {@code edges}: {@code [{"from": 0, "to": 1, "op": "nor_conv_3x3"}, ...]} in arch-string order. */
    private final class JsonForm implements ArchitectureJson.Form<Nb201Cell> {

        @Override
        public String space() {
            return NAME;
        }

        @Override
        public Nb201Cell parse(String text) {
            return Nb201Space.this.parse(text);
        }

        @Override
        public List<String> structureFields() {
            return List.of("edges");
        }

        @Override
        public Map<String, Object> structure(Nb201Cell cell) {
            List<Object> edges = new ArrayList<>();
            for (int e = 0; e < Nb201Cell.EDGES; e++) {
                Map<String, Object> edge = new LinkedHashMap<>();
                edge.put("from", Nb201Cell.from(e));
                edge.put("to", Nb201Cell.to(e));
                edge.put("op", cell.op(e));
                edges.add(edge);
            }
            return Map.of("edges", edges);
        }

        @Override
        public Nb201Cell readStructure(JsonNode root) {
            JsonNode edges = root.get("edges");
            String[] chosen = new String[Nb201Cell.EDGES];
            for (JsonNode edge : edges.elements()) {
                edge.only(Set.of("from", "to", "op"));
                int from = edge.get("from").integer();
                int to = edge.get("to").integer();
                int e;
                try {
                    e = Nb201Cell.edge(from, to);
                } catch (IllegalArgumentException ex) {
                    throw edge.error(ex.getMessage());
                }
                if (chosen[e] != null) {
                    throw edge.error("edge " + from + "->" + to + " is given twice");
                }
                String op = edge.get("op").string();
                if (!set.contains(op)) {
                    throw edge.get("op").error("unknown operation '" + op + "'; this space has " + names);
                }
                chosen[e] = op;
            }
            for (int e = 0; e < chosen.length; e++) {
                if (chosen[e] == null) {
                    throw edges.error("missing edge " + Nb201Cell.from(e) + "->" + Nb201Cell.to(e));
                }
            }
            return Nb201Cell.of(chosen);
        }
    }

    private void requireMember(Nb201Cell cell) {
        for (String op : cell.ops()) {
            if (!set.contains(op)) {
                throw new IllegalArgumentException("cell " + cell.key() + " uses '" + op + "', which is not in this space "
                        + names);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nb201Space other && set.equals(other.set);
    }

    @Override
    public int hashCode() {
        return set.hashCode();
    }

    @Override
    public String toString() {
        return NAME + names;
    }
}
