package org.cellforge.evaluator.nb201;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cellforge.evaluator.nn.AvgPool2d;
import org.cellforge.evaluator.nn.GlobalAvgPool;
import org.cellforge.evaluator.nn.Layer;
import org.cellforge.evaluator.nn.Linear;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.evaluator.nn.NetworkBuilder;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.evaluator.nn.Residual;
import org.cellforge.evaluator.nn.Sequential;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.ops.OpRegistry;
import org.nd4j.linalg.api.buffer.DataType;

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
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(macro, "macro");
        // Unknown operations fail before any weight is made.
        cell.ops().forEach(ops::get);
        NetworkBuilder b = new NetworkBuilder(store);
        int c = macro.channels();
        List<Layer> layers = new ArrayList<>();
        layers.add(b.conv("stem/conv", macro.inputChannels(), c, 3, 1));
        layers.add(b.norm("stem/bn", c));
        for (int stage = 0; stage < Nb201Macro.STAGES; stage++) {
            int width = macro.width(stage);
            if (stage > 0) {
                layers.add(reduction(b, "stage" + stage + "/reduce", width / 2, width));
            }
            for (int n = 0; n < macro.cellsPerStage(); n++) {
                String prefix = "stage" + stage + "/cell" + n;
                List<Layer> edges = new ArrayList<>(Nb201Cell.EDGES);
                for (int e = 0; e < Nb201Cell.EDGES; e++) {
                    String edge = prefix + "/edge" + Nb201Cell.from(e) + Nb201Cell.to(e);
                    edges.add(b.edge(edge, ops.get(cell.op(e)), width));
                }
                layers.add(new Nb201CellLayer(edges));
            }
        }
        int width = macro.width(Nb201Macro.STAGES - 1);
        layers.add(b.norm("head/bn", width));
        layers.add(b.relu());
        layers.add(new GlobalAvgPool());
        layers.add(new Linear(b.store(), "head/linear", width, macro.classes()));
        return b.build(new Sequential(layers.toArray(Layer[]::new)));
    }

    /** The ResNet basic block with stride 2 that NAS-Bench-201 puts between stages. */
    private static Layer reduction(NetworkBuilder b, String prefix, int in, int out) {
        Layer main = new Sequential(b.reluConvBn(prefix + "/a", in, out, 3, 2), b.reluConvBn(prefix + "/b", out, out, 3, 1));
        Layer shortcut = new Sequential(new AvgPool2d(2, 2, 0), b.conv(prefix + "/down", in, out, 1, 1));
        return new Residual(main, shortcut);
    }
}
