package org.cellforge.evaluator.darts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cellforge.evaluator.nn.Pool2d;
import org.cellforge.evaluator.nn.DepthwiseConv2d;
import org.cellforge.evaluator.nn.FactorizedReduce;
import org.cellforge.evaluator.nn.GlobalAvgPool;
import org.cellforge.evaluator.nn.Identity;
import org.cellforge.evaluator.nn.Layer;
import org.cellforge.evaluator.nn.Linear;
import org.cellforge.evaluator.nn.MixedOp;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.Sequential;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.ops.OpType;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DARTS evaluation network (NetworkCIFAR without the auxiliary head) for a genotype, layer for
 * layer as the DARTS reference code: a 3x3 stem to 3C channels with BatchNorm; cells whose inputs
 * are preprocessed by 1x1 ReLU-conv-BN (a factorized reduction after a reduction cell); reduction
 * cells at a third and two thirds of the depth, where edges from the cell inputs have stride 2 and
 * the width doubles; global average pooling and a linear classifier.
 */
public final class DartsNetwork {

    private DartsNetwork() {
    }

    /** The network with fresh weights drawn from {@code seed}, in float, over the built-in operations. */
    public static Network create(DartsGenotype genotype, DartsMacro macro, long seed) {
        return create(OpRegistry.builtIn(), genotype, macro, Parameters.of(DataType.FLOAT, seed));
    }

    /**
     * The network on {@code store}.
     *
     * @throws IllegalArgumentException for an operation the evaluator cannot build in a DARTS cell
     */
    public static Network create(OpRegistry ops, DartsGenotype genotype, DartsMacro macro, Parameters store) {
        Objects.requireNonNull(genotype, "genotype");
        genotype.opNames().forEach(ops::get);
        return skeleton(new NetworkBuilder(store), macro, true, (b, prefix, kind, c, reduction) -> {
            List<DartsCellLayer.Edge> edges = new ArrayList<>();
            List<DartsGenotype.Edge> spec = genotype.edges(kind);
            for (int e = 0; e < spec.size(); e++) {
                DartsGenotype.Edge edge = spec.get(e);
                int stride = reduction && edge.input() < 2 ? 2 : 1;
                edges.add(new DartsCellLayer.Edge(op(b, prefix + "/edge" + e + "/" + edge.op(), ops.get(edge.op()), c,
                        stride, true), edge.input(), 2 + e / 2));
            }
            return new Cell(edges, genotype.concat(kind));
        });
    }

    /**
     * A path of the single-path supernet over {@code space}: the genotype's edges on weights named,
     * as in {@link #relaxed}, by the (input, intermediate state) pair an edge joins, so every genotype
     * that uses the same operation on the same pair shares its weights; edge layers are kept in and
     * reused from {@code parts}.
     *
     * @throws IllegalArgumentException for an operation the space does not have
     */
    public static Network path(DartsSpace space, DartsGenotype genotype, DartsMacro macro, Parameters store,
            NetworkBuilder.Parts parts) {
        Objects.requireNonNull(genotype, "genotype");
        genotype.opNames().forEach(space::op);
        // Affine BatchNorm as in the stand-alone network: a path's weights are what its candidate inherits.
        return skeleton(new NetworkBuilder(store, parts), macro, true, (b, prefix, kind, c, reduction) -> {
            List<DartsCellLayer.Edge> edges = new ArrayList<>();
            List<DartsGenotype.Edge> spec = genotype.edges(kind);
            for (int e = 0; e < spec.size(); e++) {
                DartsGenotype.Edge edge = spec.get(e);
                int target = 2 + e / 2;
                // Edges into state t start after those into states 2..t-1, which have 2, 3, ... inputs.
                int pair = (target - 2) * (target + 1) / 2 + edge.input();
                int stride = reduction && edge.input() < 2 ? 2 : 1;
                String name = prefix + "/edge" + pair + "/" + edge.op();
                Op op = space.op(edge.op());
                edges.add(new DartsCellLayer.Edge(b.part(name, () -> op(b, name, op, c, stride, true)), edge.input(),
                        target));
            }
            return new Cell(edges, genotype.concat(kind));
        });
    }

    /**
     * The DARTS search network of {@code space}: every edge from every earlier state to every
     * intermediate state a {@link MixedOp} of all the space's operations, weighted by softmax of
     * {@code arch/alpha/normal} or {@code arch/alpha/reduce} ([edges, ops], initialized to 0),
     * shared by all cells of a kind; the cell joins all intermediate states. As the reference's
     * search network ({@code model_search.py}), candidate operations and the cells' preprocessing use
     * BatchNorm without affine weights, pooling candidates are followed by such a BatchNorm, and only
     * the stem's BatchNorm is affine.
     */
    public static Network relaxed(DartsSpace space, DartsMacro macro, Parameters store) {
        List<String> cells = space.relaxation().cells();
        int edgeCount = space.relaxation().edges().size();
        int opCount = space.ops().size();
        INDArray normal = store.weight(MixedOp.alphaName(cells.get(0)), Parameters.constant(0, edgeCount, opCount));
        INDArray reduce = store.weight(MixedOp.alphaName(cells.get(1)), Parameters.constant(0, edgeCount, opCount));
        return skeleton(new NetworkBuilder(store), macro, false, (b, prefix, kind, c, reduction) -> {
            List<DartsCellLayer.Edge> edges = new ArrayList<>();
            int e = 0;
            for (int target = 2; target < space.steps() + 2; target++) {
                for (int input = 0; input < target; input++, e++) {
                    int stride = reduction && input < 2 ? 2 : 1;
                    List<Layer> candidates = new ArrayList<>();
                    for (Op op : space.ops()) {
                        String name = prefix + "/edge" + e + "/" + op.name();
                        Layer candidate = op.type() == OpType.ZERO ? null : op(b, name, op, c, stride, false);
                        if (op.type() == OpType.AVG_POOL || op.type() == OpType.MAX_POOL) {
                            candidate = new Sequential(candidate, b.norm(name + "/bn", c, false));
                        }
                        candidates.add(candidate);
                    }
                    edges.add(new DartsCellLayer.Edge(new MixedOp(store, MixedOp.alphaName(cells.get(reduction ? 1 : 0)),
                            reduction ? reduce : normal, e, candidates), input, target));
                }
            }
            List<Integer> concat = new ArrayList<>();
            for (int s = 2; s < space.steps() + 2; s++) {
                concat.add(s);
            }
            return new Cell(edges, concat);
        });
    }

    /** What a cell is made of: its edges and the states it joins. */
    private record Cell(List<DartsCellLayer.Edge> edges, List<Integer> concat) {
    }

    /** Makes the edges of one cell at width {@code c}. */
    @FunctionalInterface
    private interface CellMaker {
        Cell make(NetworkBuilder b, String prefix, CellKind kind, int c, boolean reduction);
    }

    /** The network around the cells; {@code affine} says whether the cells' preprocessing has affine BatchNorm. */
    private static Network skeleton(NetworkBuilder b, DartsMacro macro, boolean affine, CellMaker maker) {
        Objects.requireNonNull(macro, "macro");
        int stem = macro.stemMultiplier() * macro.channels();
        Layer stemLayer = new Sequential(b.conv("stem/conv", macro.inputChannels(), stem, 3, 1), b.norm("stem/bn", stem));
        int cPrevPrev = stem;
        int cPrev = stem;
        int c = macro.channels();
        boolean reductionPrev = false;
        List<DartsCellLayer> cells = new ArrayList<>();
        for (int i = 0; i < macro.layers(); i++) {
            boolean reduction = macro.isReduction(i);
            if (reduction) {
                c *= 2;
            }
            String prefix = "cell" + i;
            Layer pre0 = reductionPrev ? new FactorizedReduce(b, prefix + "/preprocess0", cPrevPrev, c, affine)
                    : b.reluConvBn(prefix + "/preprocess0", cPrevPrev, c, 1, 1, affine);
            Layer pre1 = b.reluConvBn(prefix + "/preprocess1", cPrev, c, 1, 1, affine);
            Cell cell = maker.make(b, prefix, reduction ? CellKind.REDUCE : CellKind.NORMAL, c, reduction);
            cells.add(new DartsCellLayer(pre0, pre1, cell.edges(), cell.concat()));
            cPrevPrev = cPrev;
            cPrev = cell.concat().size() * c;
            reductionPrev = reduction;
        }
        return b.build(new Sequential(stemLayer, new DartsBody(cells), new GlobalAvgPool(),
                new Linear(b.store(), "classifier", cPrev, macro.classes())));
    }

    /**
     * One DARTS operation at width {@code c}, as the reference code's OPS table builds it with its
     * {@code affine} argument (false in the search network).
     */
    private static Layer op(NetworkBuilder b, String name, Op op, int c, int stride, boolean affine) {
        return switch (op.type()) {
            case IDENTITY -> stride == 1 ? new Identity() : new FactorizedReduce(b, name, c, c, affine);
            case AVG_POOL -> Pool2d.average(op.kernel(), stride, op.kernel() / 2);
            case MAX_POOL -> Pool2d.max(op.kernel(), stride, op.kernel() / 2);
            case CONV -> b.reluConvBn(name, c, c, op.kernel(), stride, affine);
            case SEP_CONV -> new Sequential(b.relu(), new DepthwiseConv2d(b.store(), name + "/dw1", c, op.kernel(),
                    stride, 1), b.conv(name + "/pw1", c, c, 1, 1), b.norm(name + "/bn1", c, affine), b.relu(),
                    new DepthwiseConv2d(b.store(), name + "/dw2", c, op.kernel(), 1, 1), b.conv(name + "/pw2", c, c, 1, 1),
                    b.norm(name + "/bn2", c, affine));
            case DIL_CONV -> new Sequential(b.relu(), new DepthwiseConv2d(b.store(), name + "/dw", c, op.kernel(), stride,
                    op.dilation()), b.conv(name + "/pw", c, c, 1, 1), b.norm(name + "/bn", c, affine));
            default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                    + op.type().configName() + " cannot be built in a DARTS evaluation network");
        };
    }
}
