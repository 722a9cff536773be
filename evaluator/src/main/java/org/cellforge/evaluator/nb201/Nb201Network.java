package org.cellforge.evaluator.nb201;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.cellforge.evaluator.nn.Pool2d;
import org.cellforge.evaluator.nn.GlobalAvgPool;
import org.cellforge.evaluator.nn.Layer;
import org.cellforge.evaluator.nn.Linear;
import org.cellforge.evaluator.nn.MixedOp;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.Residual;
import org.cellforge.evaluator.nn.Sequential;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The NAS-Bench-201 macro network for one cell: a 3x3 stem convolution with BatchNorm, three
 * stages of N cells at C, 2C and 4C channels joined by stride-2 ResNet basic blocks, then
 * BatchNorm, ReLU, global average pooling and a linear classifier, layer for layer as the
 * PyTorch reference (same parameter count and initialization law).
 *
 * <p>Weight names say where a weight sits, and edge weights name their operation
 * ({@code stage0/cell0/edge01/nor_conv_3x3/conv/weight}), so a network built on a supernet's
 * store uses exactly the weights of its own path.
 */
public final class Nb201Network {

    /** Name of the DARTS architecture weights, [edges, ops], shared by all cells. */
    public static final String ALPHA = MixedOp.alphaName("cell");

    private Nb201Network() {
    }

    /** A network with fresh weights drawn from {@code seed}, in float. */
    public static Network create(Nb201Cell cell, Nb201Macro macro, long seed) {
        return create(OpRegistry.builtIn(), cell, macro, Parameters.of(DataType.FLOAT, seed));
    }

    /**
     * A network for {@code cell} on {@code store}: weights the store holds are used as they are,
     * missing ones are created.
     *
     * @throws IllegalArgumentException if the cell uses an unknown operation or one the evaluator cannot build
     */
    public static Network create(OpRegistry ops, Nb201Cell cell, Nb201Macro macro, Parameters store) {
        return create(ops, cell, macro, new NetworkBuilder(store));
    }

    /**
     * A network for {@code cell} with the operations of {@code space}, reusing and keeping layers in
     * {@code parts}: the paths of a supernet.
     */
    public static Network create(Nb201Space space, Nb201Cell cell, Nb201Macro macro, Parameters store,
            NetworkBuilder.Parts parts) {
        return create(space::op, cell, macro, new NetworkBuilder(store, parts));
    }

    private static Network create(OpRegistry ops, Nb201Cell cell, Nb201Macro macro, NetworkBuilder b) {
        return create(Objects.requireNonNull(ops, "ops")::get, cell, macro, b);
    }

    private static Network create(Function<String, Op> ops, Nb201Cell cell, Nb201Macro macro, NetworkBuilder b) {
        Objects.requireNonNull(cell, "cell");
        // Unknown operations fail before any weight is made.
        cell.ops().forEach(ops::apply);
        return skeleton(b, Objects.requireNonNull(macro, "macro"), (prefix, e, width) -> {
            Op op = ops.apply(cell.op(e));
            return b.part(prefix + "/" + op.name(), () -> b.edge(prefix, op, width));
        });
    }

    /**
     * The DARTS relaxation of the NB201 space over {@code candidates}: every edge a {@link MixedOp}
     * of all of them, weighted by softmax of {@link #ALPHA} (initialized to 0: uniform mixing).
     * Candidates are built as DARTS's search network builds them ({@link NetworkBuilder#searchEdge}):
     * BatchNorm without affine weights, and pooling followed by such a BatchNorm (DARTS's
     * {@code model_search.py}; NAS-Bench-201's own search cell has no BatchNorm after pooling); the
     * stem, the reductions and the head keep affine BatchNorm, as in the stand-alone network.
     */
    public static Network relaxed(Nb201Space space, Nb201Macro macro, Parameters store) {
        List<Op> resolved = space.ops();
        NetworkBuilder b = new NetworkBuilder(store);
        INDArray alpha = store.weight(ALPHA, Parameters.constant(0, Nb201Cell.EDGES, resolved.size()));
        return skeleton(b, macro, (prefix, e, width) -> {
            List<Layer> layers = new ArrayList<>();
            for (Op op : resolved) {
                layers.add(b.searchEdge(prefix, op, width));
            }
            return new MixedOp(store, ALPHA, alpha, e, layers);
        });
    }

    /** Makes the layer of edge {@code e} of the cell whose edge prefix is {@code prefix}. */
    @FunctionalInterface
    private interface EdgeMaker {
        Layer make(String prefix, int e, int width);
    }

    private static Network skeleton(NetworkBuilder b, Nb201Macro macro, EdgeMaker edges) {
        int c = macro.channels();
        List<Layer> layers = new ArrayList<>();
        layers.add(b.part("stem", () -> new Sequential(b.conv("stem/conv", macro.inputChannels(), c, 3, 1),
                b.norm("stem/bn", c))));
        for (int stage = 0; stage < Nb201Macro.STAGES; stage++) {
            int width = macro.width(stage);
            if (stage > 0) {
                String prefix = "stage" + stage + "/reduce";
                layers.add(b.part(prefix, () -> reduction(b, prefix, width / 2, width)));
            }
            for (int n = 0; n < macro.cellsPerStage(); n++) {
                String prefix = "stage" + stage + "/cell" + n;
                List<Layer> cell = new ArrayList<>(Nb201Cell.EDGES);
                for (int e = 0; e < Nb201Cell.EDGES; e++) {
                    cell.add(edges.make(prefix + "/edge" + Nb201Cell.from(e) + Nb201Cell.to(e), e, width));
                }
                layers.add(new Nb201CellLayer(cell, b.scratch(prefix, Nb201CellLayer.SCRATCH)));
            }
        }
        int width = macro.width(Nb201Macro.STAGES - 1);
        layers.add(b.part("head", () -> new Sequential(b.norm("head/bn", width), b.relu(), new GlobalAvgPool(),
                new Linear(b.store(), "head/linear", width, macro.classes()))));
        return b.build(new Sequential(layers.toArray(Layer[]::new)));
    }

    /** The ResNet basic block with stride 2 that NAS-Bench-201 puts between stages. */
    private static Layer reduction(NetworkBuilder b, String prefix, int in, int out) {
        Layer main = new Sequential(b.reluConvBn(prefix + "/a", in, out, 3, 2),
                b.reluConvBn(prefix + "/b", out, out, 3, 1));
        Layer shortcut = new Sequential(Pool2d.average(2, 2, 0), b.conv(prefix + "/down", in, out, 1, 1));
        return new Residual(main, shortcut);
    }
}
