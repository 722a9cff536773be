package org.cellforge.evaluator.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsGenotype.CellKind;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;

/**
 * Where each tensor of a generated module's {@code state_dict} comes from in the ONNX model of the
 * same network: the module paths of {@link PyTorchExport}'s source on one side, the evaluator's
 * weight names (which {@link OnnxExport} keeps as initializer names) on the other. Both walks here
 * follow the Python source and the network builders step by step, so a change to either shows up
 * as a named missing or unused weight rather than as wrong logits.
 *
 * <p>BatchNorm's {@code num_batches_tracked} is not listed: ONNX does not record it, and PyTorch
 * takes it as 0 for a state dict without it (it matters only for {@code momentum=None}).
 */
final class StateDictLayout {

    /**
     * One tensor of the state dict.
     *
     * @param torchName its key in the module's state dict
     * @param onnxName the ONNX initializer holding it
     * @param onnxShape the initializer's shape as {@link OnnxExport} writes it
     * @param transpose whether the initializer is the transpose of the PyTorch tensor (linear weights)
     */
    record Slot(String torchName, String onnxName, List<Long> onnxShape, boolean transpose) {
    }

    private final List<Slot> slots = new ArrayList<>();

    private StateDictLayout() {
    }

    /** The state dict of {@link PyTorchExport#nb201}'s module, a {@code nn.Sequential}. */
    static List<Slot> nb201(OpRegistry ops, Nb201Cell cell, Nb201Macro macro) {
        StateDictLayout l = new StateDictLayout();
        int c = macro.channels();
        l.conv("0", "stem/conv", c, macro.inputChannels(), 3);
        l.norm("1", "stem/bn", c);
        int index = 2;
        for (int stage = 0; stage < Nb201Macro.STAGES; stage++) {
            int width = macro.width(stage);
            if (stage > 0) {
                String module = String.valueOf(index++);
                String prefix = "stage" + stage + "/reduce";
                l.reluConvBn(module + ".a", prefix + "/a", width / 2, width, 3);
                l.reluConvBn(module + ".b", prefix + "/b", width, width, 3);
                l.conv(module + ".down.1", prefix + "/down", width, width / 2, 1);
            }
            for (int n = 0; n < macro.cellsPerStage(); n++) {
                String module = index++ + ".ops.";
                for (int e = 0; e < Nb201Cell.EDGES; e++) {
                    Op op = ops.get(cell.op(e));
                    String weights = "stage" + stage + "/cell" + n + "/edge" + Nb201Cell.from(e) + Nb201Cell.to(e)
                            + "/" + op.name();
                    switch (op.type()) {
                        case ZERO, IDENTITY, AVG_POOL -> {
                            // No weights.
                        }
                        case CONV -> l.reluConvBn(module + e, weights, width, width, op.kernel());
                        default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                                + op.type().configName() + " has no PyTorch form in the NB201 export yet");
                    }
                }
            }
        }
        int width = macro.width(Nb201Macro.STAGES - 1);
        l.norm(String.valueOf(index), "head/bn", width);
        // After the BatchNorm: ReLU, pooling and flattening, then the classifier.
        l.linear(String.valueOf(index + 4), "head/linear", width, macro.classes());
        return List.copyOf(l.slots);
    }

    /** The state dict of {@link PyTorchExport#darts}'s module. */
    static List<Slot> darts(OpRegistry ops, DartsGenotype genotype, DartsMacro macro) {
        StateDictLayout l = new StateDictLayout();
        int stem = macro.stemMultiplier() * macro.channels();
        l.conv("stem.0", "stem/conv", stem, macro.inputChannels(), 3);
        l.norm("stem.1", "stem/bn", stem);
        int cPrevPrev = stem;
        int cPrev = stem;
        int c = macro.channels();
        boolean reductionPrev = false;
        for (int i = 0; i < macro.layers(); i++) {
            boolean reduction = macro.isReduction(i);
            if (reduction) {
                c *= 2;
            }
            String module = "cells." + i;
            String prefix = "cell" + i;
            if (reductionPrev) {
                l.factorizedReduce(module + ".pre0", prefix + "/preprocess0", cPrevPrev, c);
            } else {
                l.reluConvBn(module + ".pre0", prefix + "/preprocess0", cPrevPrev, c, 1);
            }
            l.reluConvBn(module + ".pre1", prefix + "/preprocess1", cPrev, c, 1);
            CellKind kind = reduction ? CellKind.REDUCE : CellKind.NORMAL;
            List<DartsGenotype.Edge> edges = genotype.edges(kind);
            for (int e = 0; e < edges.size(); e++) {
                DartsGenotype.Edge edge = edges.get(e);
                Op op = ops.get(edge.op());
                String m = module + ".ops." + e;
                String w = prefix + "/edge" + e + "/" + edge.op();
                int k = op.kernel();
                switch (op.type()) {
                    case IDENTITY -> {
                        if (reduction && edge.input() < 2) {
                            l.factorizedReduce(m, w, c, c);
                        }
                    }
                    case AVG_POOL, MAX_POOL -> {
                        // No weights.
                    }
                    case CONV -> l.reluConvBn(m, w, c, c, k);
                    case SEP_CONV -> {
                        // SepConv is two DilConvs: ReLU, depthwise, pointwise, BatchNorm each.
                        l.depthwise(m + ".0.1", w + "/dw1", c, k);
                        l.conv(m + ".0.2", w + "/pw1", c, c, 1);
                        l.norm(m + ".0.3", w + "/bn1", c);
                        l.depthwise(m + ".1.1", w + "/dw2", c, k);
                        l.conv(m + ".1.2", w + "/pw2", c, c, 1);
                        l.norm(m + ".1.3", w + "/bn2", c);
                    }
                    case DIL_CONV -> {
                        l.depthwise(m + ".1", w + "/dw", c, k);
                        l.conv(m + ".2", w + "/pw", c, c, 1);
                        l.norm(m + ".3", w + "/bn", c);
                    }
                    default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                            + op.type().configName() + " has no PyTorch form in the DARTS export yet");
                }
            }
            cPrevPrev = cPrev;
            cPrev = genotype.concat(kind).size() * c;
            reductionPrev = reduction;
        }
        l.linear("classifier", "classifier", cPrev, macro.classes());
        return List.copyOf(l.slots);
    }

    private void add(String torch, String onnx, boolean transpose, long... onnxShape) {
        slots.add(new Slot(torch, onnx, Arrays.stream(onnxShape).boxed().toList(), transpose));
    }

    private void conv(String module, String weights, int out, int in, int k) {
        add(module + ".weight", weights + "/weight", false, out, in, k, k);
    }

    /** A depthwise convolution: one group per channel, so PyTorch's and ONNX's [C, 1, k, k] agree. */
    private void depthwise(String module, String weights, int channels, int k) {
        add(module + ".weight", weights + "/weight", false, channels, 1, k, k);
    }

    private void norm(String module, String weights, int channels) {
        add(module + ".weight", weights + "/gamma", false, channels);
        add(module + ".bias", weights + "/beta", false, channels);
        add(module + ".running_mean", weights + "/running_mean", false, channels);
        add(module + ".running_var", weights + "/running_var", false, channels);
    }

    /** PyTorch's ReLUConvBN is a Sequential: the ReLU at index 0 holds nothing. */
    private void reluConvBn(String module, String weights, int in, int out, int k) {
        conv(module + ".1", weights + "/conv", out, in, k);
        norm(module + ".2", weights + "/bn", out);
    }

    private void factorizedReduce(String module, String weights, int in, int out) {
        conv(module + ".conv_1", weights + "/conv_1", out / 2, in, 1);
        conv(module + ".conv_2", weights + "/conv_2", out / 2, in, 1);
        norm(module + ".bn", weights + "/bn", out);
    }

    /** ONNX's Gemm holds the weight [in, out] as the evaluator does; PyTorch's Linear [out, in]. */
    private void linear(String module, String weights, int in, int out) {
        add(module + ".weight", weights + "/weight", true, in, out);
        add(module + ".bias", weights + "/bias", false, out);
    }
}
