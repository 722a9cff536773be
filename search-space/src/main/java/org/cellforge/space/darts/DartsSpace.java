package org.cellforge.space.darts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsGenotype.Edge;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.cellforge.space.ops.OpSet;
import org.cellforge.space.ops.OpType;

/**
 * The DARTS space (Liu et al., ICLR 2019): a normal and a reduction cell with {@code steps}
 * intermediate nodes (4 in the paper); node {@code i} sums two operations that read two different
 * earlier nodes. The relaxation has every candidate operation on every edge, {@code none} included;
 * discrete genotypes use every candidate except the zero operations, which is what discretization drops.
 *
 * <p>{@link #size()} counts text forms, where a node's two pairs are ordered; the figure usually quoted
 * for DARTS (about 10^18) counts each node's pair of inputs unordered: {@code size / 2^(2·steps)}.
 */
public final class DartsSpace implements SearchSpace<DartsGenotype> {

    /** Name of the space in configuration, storage and exports. */
    public static final String NAME = "darts";

    /** The eight candidate operations of the paper, in its PRIMITIVES order. */
    public static final List<String> STANDARD_OPS = List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
            "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5");

    /** Intermediate nodes per cell in the paper. */
    public static final int STANDARD_STEPS = 4;

    /** Format name of the JSON form of a genotype. */
    public static final String JSON_FORMAT = ArchitectureJson.FORMAT;

    /** Version of the JSON form this code writes. */
    public static final int JSON_VERSION = ArchitectureJson.VERSION;

    private static final DartsSpace STANDARD = of(OpRegistry.builtIn(), STANDARD_OPS, STANDARD_STEPS);

    private final OpSet set;
    private final List<Op> ops;
    private final List<String> names;
    private final List<String> discrete;
    private final int steps;
    private final JsonForm form = new JsonForm();

    private DartsSpace(OpSet set, int steps) {
        this.set = set;
        this.ops = set.ops();
        this.names = set.names();
        this.discrete = ops.stream().filter(op -> op.type() != OpType.ZERO).map(Op::name).toList();
        this.steps = steps;
    }

    /** The space of the paper. */
    public static DartsSpace standard() {
        return STANDARD;
    }

    /**
     * A space over operations of {@code registry} with {@code steps} intermediate nodes per cell.
     *
     * @throws IllegalArgumentException if the operations are duplicated, unknown, or all zero
     */
    public static DartsSpace of(OpRegistry registry, List<String> ops, int steps) {
        if (steps < 1 || steps > 8) {
            throw new IllegalArgumentException("steps (intermediate nodes per cell) must be in 1..8, got " + steps);
        }
        DartsSpace space = new DartsSpace(OpSet.of(registry, ops), steps);
        if (space.discrete.isEmpty()) {
            throw new IllegalArgumentException("a DARTS space needs at least one operation other than a zero op, got "
                    + ops);
        }
        return space;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Op> ops() {
        return ops;
    }

    /** Names of all candidate operations, in relaxation order. */
    public List<String> opNames() {
        return names;
    }

    /** Names of the operations a discrete genotype may use (all but the zero ones), in encoding order. */
    public List<String> discreteOps() {
        return discrete;
    }

    /** Intermediate nodes per cell. */
    public int steps() {
        return steps;
    }

    /** The definition of an operation of this space. */
    public Op op(String name) {
        return set.get(name);
    }

    /**
     * Reads the DARTS text form and checks that the genotype belongs to this space.
     *
     * @throws ArchitectureFormatException naming the bad part
     */
    @Override
    public DartsGenotype parse(String text) {
        DartsGenotype g = DartsText.parse(text);
        String problem = problem(g);
        if (problem != null) {
            throw new ArchitectureFormatException(text, g.key(), 0, problem);
        }
        return g;
    }

    @Override
    public boolean contains(DartsGenotype g) {
        return problem(g) == null;
    }

    /** Why {@code g} is not in this space, or null. */
    private String problem(DartsGenotype g) {
        if (g.steps() != steps) {
            return "this space has " + steps + " intermediate nodes per cell, the genotype " + g.steps();
        }
        for (CellKind kind : CellKind.values()) {
            String cell = kind.name().toLowerCase(Locale.ROOT);
            List<Edge> edges = g.edges(kind);
            for (int i = 0; i < edges.size(); i++) {
                String op = edges.get(i).op();
                if (!discrete.contains(op)) {
                    return cell + " pair " + i + ": operation '" + op + "' "
                            + (set.contains(op) ? "is a zero op, which genotypes of this space never use"
                                    : "is not in this space") + "; use one of " + discrete;
                }
            }
            for (int n = 0; n < steps; n++) {
                if (edges.get(2 * n).input() == edges.get(2 * n + 1).input()) {
                    return cell + " node " + (n + 2) + " reads node " + edges.get(2 * n).input()
                            + " twice; its two inputs must differ";
                }
            }
            if (!g.concat(kind).equals(allNodes())) {
                return cell + "_concat must be " + allNodes() + ", got " + g.concat(kind);
            }
        }
        return null;
    }

    private List<Integer> allNodes() {
        List<Integer> out = new ArrayList<>(steps);
        for (int i = 2; i < steps + 2; i++) {
            out.add(i);
        }
        return out;
    }

    @Override
    public DartsGenotype sample(RandomGenerator random) {
        Encoding<DartsGenotype> enc = encoding();
        int[] genes = new int[enc.length()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = random.nextInt(enc.cardinality(i));
        }
        return enc.decode(genes);
    }

    @Override
    public BigInteger size() {
        BigInteger perCell = BigInteger.ONE;
        for (int n = 0; n < steps; n++) {
            perCell = perCell.multiply(BigInteger.valueOf((long) pairs(n)).multiply(
                    BigInteger.valueOf(discrete.size()).pow(2)));
        }
        return perCell.pow(2);
    }

    /** Ordered pairs of distinct inputs of intermediate node {@code n} (0-based among intermediates). */
    private static int pairs(int n) {
        return (n + 2) * (n + 1);
    }

    /**
     * Both cells as sorted lists of their concatenated nodes' {@link CellExpression}s over the inputs
     * {@code c_{k-2}} and {@code c_{k-1}}. Sorting is sound because the concatenation only permutes
     * channels, which the next cell's 1×1 preprocessing and the classifier absorb. In the reduction
     * cell, edges from the inputs have stride 2, so skip_connect there is a factorized reduction.
     */
    @Override
    public CanonicalForm canonical(DartsGenotype g) {
        requireMember(g);
        StringBuilder out = new StringBuilder();
        for (CellKind kind : CellKind.values()) {
            List<Edge> edges = g.edges(kind);
            CellExpression[] node = new CellExpression[steps + 2];
            node[0] = CellExpression.input("c_{k-2}");
            node[1] = CellExpression.input("c_{k-1}");
            for (int n = 0; n < steps; n++) {
                List<CellExpression> parts = new ArrayList<>(2);
                for (Edge e : List.of(edges.get(2 * n), edges.get(2 * n + 1))) {
                    int stride = kind == CellKind.REDUCE && e.input() < 2 ? 2 : 1;
                    parts.add(node[e.input()].apply(op(e.op()), 1, 1, stride));
                }
                node[n + 2] = CellExpression.sum(parts);
            }
            List<String> outputs = new ArrayList<>();
            for (int n : g.concat(kind)) {
                outputs.add(node[n].toString());
            }
            outputs.sort(null);
            out.append(kind == CellKind.NORMAL ? "normal=[" : "; reduce=[").append(String.join(" | ", outputs))
                    .append(']');
        }
        return new CanonicalForm(NAME, out.toString());
    }

    /**
     * Per cell and intermediate node, three positions: the ordered pair of distinct inputs (one index,
     * so every vector is valid) and the two operations.
     */
    @Override
    public Encoding<DartsGenotype> encoding() {
        return new Encoding<>() {
            @Override
            public int length() {
                return 2 * steps * 3;
            }

            @Override
            public int cardinality(int position) {
                Objects.checkIndex(position, length());
                int slot = position % 3;
                int n = (position / 3) % steps;
                return slot == 0 ? pairs(n) : discrete.size();
            }

            @Override
            public String describe(int position) {
                Objects.checkIndex(position, length());
                String cell = position < 3 * steps ? "normal" : "reduce";
                int node = (position / 3) % steps + 2;
                return cell + " node " + node + (switch (position % 3) {
                    case 0 -> " inputs";
                    case 1 -> " first op";
                    default -> " second op";
                });
            }

            @Override
            public int[] encode(DartsGenotype g) {
                requireMember(g);
                int[] genes = new int[length()];
                int i = 0;
                for (CellKind kind : CellKind.values()) {
                    List<Edge> edges = g.edges(kind);
                    for (int n = 0; n < steps; n++) {
                        Edge a = edges.get(2 * n);
                        Edge b = edges.get(2 * n + 1);
                        int inputs = n + 2;
                        genes[i++] = a.input() * (inputs - 1) + (b.input() > a.input() ? b.input() - 1 : b.input());
                        genes[i++] = discrete.indexOf(a.op());
                        genes[i++] = discrete.indexOf(b.op());
                    }
                }
                return genes;
            }

            @Override
            public DartsGenotype decode(int[] genes) {
                check(genes);
                List<List<Edge>> cells = new ArrayList<>(2);
                int i = 0;
                for (int c = 0; c < 2; c++) {
                    List<Edge> edges = new ArrayList<>(2 * steps);
                    for (int n = 0; n < steps; n++) {
                        int inputs = n + 2;
                        int pair = genes[i++];
                        int a = pair / (inputs - 1);
                        int b = pair % (inputs - 1);
                        if (b >= a) {
                            b++;
                        }
                        edges.add(new Edge(discrete.get(genes[i++]), a));
                        edges.add(new Edge(discrete.get(genes[i++]), b));
                    }
                    cells.add(edges);
                }
                return DartsGenotype.of(cells.get(0), allNodes(), cells.get(1), allNodes());
            }
        };
    }

    /** Edges {@code j->i} for every intermediate node {@code i} and earlier node {@code j}, node by node. */
    @Override
    public Relaxation relaxation() {
        List<String> edges = new ArrayList<>();
        for (int i = 2; i < steps + 2; i++) {
            for (int j = 0; j < i; j++) {
                edges.add(j + "->" + i);
            }
        }
        return new Relaxation(List.of("normal", "reduce"), edges, names);
    }

    /**
     * The DARTS rule: per node, the two incoming edges whose strongest non-zero operation has the
     * largest softmax weight (stronger first; ties to the lower input), each with that operation.
     */
    @Override
    public DartsGenotype discretize(double[][][] logits) {
        relaxation().check(logits);
        List<List<Edge>> cells = new ArrayList<>(2);
        for (double[][] cell : logits) {
            List<Edge> edges = new ArrayList<>(2 * steps);
            int offset = 0;
            for (int i = 2; i < steps + 2; i++) {
                double[] strength = new double[i];
                int[] best = new int[i];
                for (int j = 0; j < i; j++) {
                    double[] w = Relaxation.softmax(cell[offset + j]);
                    best[j] = -1;
                    for (int o = 0; o < w.length; o++) {
                        if (ops.get(o).type() != OpType.ZERO && (best[j] < 0 || w[o] > w[best[j]])) {
                            best[j] = o;
                        }
                    }
                    strength[j] = w[best[j]];
                }
                Integer[] order = new Integer[i];
                Arrays.setAll(order, j -> j);
                Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -strength[j]));
                for (int k = 0; k < 2; k++) {
                    edges.add(new Edge(names.get(best[order[k]]), order[k]));
                }
                offset += i;
            }
            cells.add(edges);
        }
        return DartsGenotype.of(cells.get(0), allNodes(), cells.get(1), allNodes());
    }

    /**
     * Changes one operation or one input of one node of one cell, all chosen uniformly; an input only
     * changes where another input is free, otherwise the operation changes.
     */
    @Override
    public DartsGenotype mutate(DartsGenotype parent, RandomGenerator random) {
        requireMember(parent);
        CellKind kind = random.nextBoolean() ? CellKind.NORMAL : CellKind.REDUCE;
        List<Edge> edges = new ArrayList<>(parent.edges(kind));
        int n = random.nextInt(steps);
        int slot = 2 * n + random.nextInt(2);
        Edge old = edges.get(slot);
        int sibling = edges.get(slot ^ 1).input();
        int inputs = n + 2;
        boolean canMoveInput = inputs > 2;
        boolean canChangeOp = discrete.size() > 1;
        if (!canMoveInput && !canChangeOp) {
            // Only the order of a node's pairs could change, which is not a different architecture.
            throw new IllegalStateException("this space has a single operation and one input choice for node "
                    + (n + 2) + "; mutate another node");
        }
        if (canMoveInput && (!canChangeOp || random.nextBoolean())) {
            int input;
            do {
                input = random.nextInt(inputs);
            } while (input == old.input() || input == sibling);
            edges.set(slot, new Edge(old.op(), input));
        } else {
            int current = discrete.indexOf(old.op());
            int next = random.nextInt(discrete.size() - 1);
            if (next >= current) {
                next++;
            }
            edges.set(slot, new Edge(discrete.get(next), old.input()));
        }
        return parent.with(kind, edges);
    }

    /** Node-wise uniform crossover: each node of each cell comes from either parent with equal chance. */
    @Override
    public DartsGenotype crossover(DartsGenotype first, DartsGenotype second, RandomGenerator random) {
        requireMember(first);
        requireMember(second);
        DartsGenotype child = first;
        for (CellKind kind : CellKind.values()) {
            List<Edge> edges = new ArrayList<>(first.edges(kind));
            for (int n = 0; n < steps; n++) {
                if (random.nextBoolean()) {
                    edges.set(2 * n, second.edges(kind).get(2 * n));
                    edges.set(2 * n + 1, second.edges(kind).get(2 * n + 1));
                }
            }
            child = child.with(kind, edges);
        }
        return child;
    }

    /**
     * The {@link ArchitectureJson} document: the DARTS text form (the storage key), the same genotype
     * as {@code normal}, {@code normal_concat}, {@code reduce} and {@code reduce_concat} for readers,
     * then the export sections.
     */
    @Override
    public String toJson(DartsGenotype g, Map<String, ?> sections) {
        requireMember(g);
        return ArchitectureJson.write(form, g, sections);
    }

    /** Reads the text form, the four structure fields or both; when both are given they must agree. */
    @Override
    public DartsGenotype fromJson(String json) {
        return ArchitectureJson.read(form, json);
    }

    /** Each cell as a list of {@code {"op", "input"}} pairs in text order, and its concat list. */
    private final class JsonForm implements ArchitectureJson.Form<DartsGenotype> {

        private static final List<String> FIELDS = List.of("normal", "normal_concat", "reduce", "reduce_concat");

        @Override
        public String space() {
            return NAME;
        }

        @Override
        public DartsGenotype parse(String text) {
            return DartsSpace.this.parse(text);
        }

        @Override
        public List<String> structureFields() {
            return FIELDS;
        }

        @Override
        public Map<String, Object> structure(DartsGenotype g) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (CellKind kind : CellKind.values()) {
                String cell = kind.name().toLowerCase(Locale.ROOT);
                List<Object> pairs = new ArrayList<>();
                for (Edge e : g.edges(kind)) {
                    Map<String, Object> pair = new LinkedHashMap<>();
                    pair.put("op", e.op());
                    pair.put("input", e.input());
                    pairs.add(pair);
                }
                out.put(cell, pairs);
                out.put(cell + "_concat", g.concat(kind));
            }
            return out;
        }

        @Override
        public DartsGenotype readStructure(JsonNode root) {
            List<Edge> normal = readPairs(root.get("normal"));
            List<Edge> reduce = readPairs(root.get("reduce"));
            List<Integer> normalConcat = root.get("normal_concat").integers();
            List<Integer> reduceConcat = root.get("reduce_concat").integers();
            DartsGenotype g;
            try {
                g = DartsGenotype.of(normal, normalConcat, reduce, reduceConcat);
            } catch (IllegalArgumentException e) {
                // DartsGenotype's messages start with the field they are about ("normal_concat: ...").
                throw at(root, e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':'))))
                        .error(e.getMessage());
            }
            String problem = problem(g);
            if (problem != null) {
                throw at(root, problem.split("[ ]", 2)[0]).error(problem);
            }
            return g;
        }

        private static JsonNode at(JsonNode root, String field) {
            return FIELDS.contains(field) ? root.get(field) : root;
        }

        private static List<Edge> readPairs(JsonNode list) {
            List<Edge> out = new ArrayList<>();
            for (JsonNode pair : list.elements()) {
                pair.only(Set.of("op", "input"));
                String op = pair.get("op").string();
                int input = pair.get("input").integer(0);
                try {
                    out.add(new Edge(op, input));
                } catch (IllegalArgumentException e) {
                    throw pair.get("op").error(e.getMessage());
                }
            }
            return out;
        }
    }

    private void requireMember(DartsGenotype g) {
        String problem = problem(g);
        if (problem != null) {
            throw new IllegalArgumentException("genotype not in this space: " + problem);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DartsSpace other && set.equals(other.set) && steps == other.steps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(set, steps);
    }

    @Override
    public String toString() {
        return NAME + names + " steps=" + steps;
    }
}
