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
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.Sequential;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.linalg.api.buffer.DataType;

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
        Objects.requireNonNull(macro, "macro");
        genotype.opNames().forEach(ops::get);
        NetworkBuilder b = new NetworkBuilder(store);
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
            Layer pre0 = reductionPrev ? new FactorizedReduce(b, prefix + "/preprocess0", cPrevPrev, c)
                    : b.reluConvBn(prefix + "/preprocess0", cPrevPrev, c, 1, 1);
            Layer pre1 = b.reluConvBn(prefix + "/preprocess1", cPrev, c, 1, 1);
            CellKind kind = reduction ? CellKind.REDUCE : CellKind.NORMAL;
            List<DartsCellLayer.Edge> edges = new ArrayList<>();
            List<DartsGenotype.Edge> spec = genotype.edges(kind);
            for (int e = 0; e < spec.size(); e++) {
                DartsGenotype.Edge edge = spec.get(e);
                int stride = reduction && edge.input() < 2 ? 2 : 1;
                edges.add(new DartsCellLayer.Edge(op(b, prefix + "/edge" + e + "/" + edge.op(), ops.get(edge.op()), c,
                        stride), edge.input()));
            }
            List<Integer> concat = genotype.concat(kind);
            cells.add(new DartsCellLayer(pre0, pre1, edges, concat));
            cPrevPrev = cPrev;
            cPrev = concat.size() * c;
            reductionPrev = reduction;
        }
        return b.build(new Sequential(stemLayer, new DartsBody(cells), new GlobalAvgPool(),
                new Linear(store, "classifier", cPrev, macro.classes())));
    }

    /** One DARTS operation at width {@code c}, as the reference code's OPS table builds it. */
    private static Layer op(NetworkBuilder b, String name, Op op, int c, int stride) {
        return switch (op.type()) {
            case IDENTITY -> stride == 1 ? new Identity() : new FactorizedReduce(b, name, c, c);
            case AVG_POOL -> Pool2d.average(op.kernel(), stride, op.kernel() / 2);
            case MAX_POOL -> Pool2d.max(op.kernel(), stride, op.kernel() / 2);
            case CONV -> b.reluConvBn(name, c, c, op.kernel(), stride);
            case SEP_CONV -> new Sequential(b.relu(), new DepthwiseConv2d(b.store(), name + "/dw1", c, op.kernel(),
                    stride, 1), b.conv(name + "/pw1", c, c, 1, 1), b.norm(name + "/bn1", c), b.relu(),
                    new DepthwiseConv2d(b.store(), name + "/dw2", c, op.kernel(), 1, 1), b.conv(name + "/pw2", c, c, 1, 1),
                    b.norm(name + "/bn2", c));
            case DIL_CONV -> new Sequential(b.relu(), new DepthwiseConv2d(b.store(), name + "/dw", c, op.kernel(), stride,
                    op.dilation()), b.conv(name + "/pw", c, c, 1, 1), b.norm(name + "/bn", c));
            default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                    + op.type().configName() + " cannot be built in a DARTS evaluation network");
        };
    }
}
