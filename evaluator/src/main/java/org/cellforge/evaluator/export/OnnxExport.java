package org.cellforge.evaluator.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.evaluator.nn.GraphWriter;
import org.cellforge.evaluator.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes a trained network as an ONNX model (opset 13) with its weights as initializers: input
 * {@value #INPUT} as NCHW floats with a free batch dimension, output {@value #OUTPUT} as logits.
 * BatchNorm uses the running statistics, as evaluation does.
 */
public final class OnnxExport implements GraphWriter {

    /** Name of the model input, [batch, channels, height, width]. */
    public static final String INPUT = "input";

    /** Name of the model output, [batch, classes]. */
    public static final String OUTPUT = "logits";

    /** Metadata key of the test-time augmentation the graph computes, when it is not {@code none}. */
    public static final String TEST_TIME_AUGMENTATION_KEY = "cellforge.test_time_augmentation";

    static final int OPSET = 13;
    private static final int IR_VERSION = 7;

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int counter;

    private OnnxExport() {
    }

    /**
     * The serialized model of {@code net} for images of {@code channels x height x width}, with
     * {@code metadata} (seeds, architecture, provenance) stored as model properties.
     */
    public static byte[] toBytes(Network net, int channels, int height, int width, int classes,
            Map<String, String> metadata) {
        return toBytes(net, channels, height, width, classes, metadata, TestTimeAugmentation.NONE);
    }

    /**
     * As {@link #toBytes(Network, int, int, int, int, Map)}, predicting as {@code tta} says: unless it
     * is {@link TestTimeAugmentation#NONE}, the graph builds each of its views of the images, runs the
     * network on all of them as one batch and outputs the mean of their logits, and the metadata says
     * so under {@value #TEST_TIME_AUGMENTATION_KEY}.
     */
    public static byte[] toBytes(Network net, int channels, int height, int width, int classes,
            Map<String, String> metadata, TestTimeAugmentation tta) {
        return toBytes(net, channels, height, width, classes, metadata, tta.label(), tta.views());
    }

    /**
     * As {@link #toBytes(Network, int, int, int, int, Map, TestTimeAugmentation)}, averaging any
     * {@code views}, recorded as {@code label}: tests check views one by one with it.
     */
    static byte[] toBytes(Network net, int channels, int height, int width, int classes, Map<String, String> metadata,
            String label, List<TestTimeAugmentation.View> views) {
        OnnxExport w = new OnnxExport();
        Map<String, String> properties = new LinkedHashMap<>(metadata);
        String logits;
        if (!views.equals(TestTimeAugmentation.NONE.views())) {
            properties.put(TEST_TIME_AUGMENTATION_KEY, label);
            logits = w.averaged(net, classes, height, width, views);
        } else {
            logits = net.export(w, INPUT);
        }
        w.nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(logits).addOutput(OUTPUT)
                .setName("output").build());
        GraphProto graph = GraphProto.newBuilder()
                .setName("cellforge")
                .addAllNode(w.nodes)
                .addAllInitializer(w.initializers)
                .addInput(value(INPUT, dims("batch", channels, height, width)))
                .addOutput(value(OUTPUT, dims("batch", classes)))
                .build();
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("cellforge")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        properties.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    /**
     * The mean logits of the input's {@code views}: all go through the network as one batch of
     * V x N (BatchNorm in evaluation form treats each image alone), and the [V x N, classes] logits
     * are read as [V, N, classes] and averaged over the first axis. A shifted view is a window of
     * the (mirrored) input padded with zeros on every side.
     */
    private String averaged(Network net, int classes, int height, int width, List<TestTimeAugmentation.View> views) {
        int margin = views.stream().mapToInt(v -> Math.max(Math.abs(v.dy()), Math.abs(v.dx()))).max().orElse(0);
        Map<Boolean, String> sources = new LinkedHashMap<>();
        Map<Boolean, String> padded = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        for (TestTimeAugmentation.View view : views) {
            String source = sources.computeIfAbsent(view.mirrored(), mirrored -> mirrored
                    // A step of -1 from the last column; an end below -width reaches column 0 inclusive.
                    ? node("Slice", List.of(INPUT, longs("mirror_starts", -1), longs("mirror_ends", Long.MIN_VALUE),
                            longs("mirror_axes", 3), longs("mirror_steps", -1)))
                    : INPUT);
            if (view.dy() == 0 && view.dx() == 0) {
                inputs.add(source);
                continue;
            }
            String frame = padded.computeIfAbsent(view.mirrored(), mirrored -> node("Pad", List.of(source,
                    longs(mirrored ? "mirror_pads" : "pads", 0, 0, margin, margin, 0, 0, margin, margin))));
            int top = margin + view.dy();
            int left = margin + view.dx();
            String suffix = "_" + inputs.size();
            inputs.add(node("Slice", List.of(frame, longs("view_starts" + suffix, top, left),
                    longs("view_ends" + suffix, top + height, left + width), longs("view_axes" + suffix, 2, 3))));
        }
        String batch = node("Concat", inputs, AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.INT).setI(0).build());
        String logits = net.export(this, batch);
        String stacked = node("Reshape", List.of(logits, longs("view_logits", views.size(), -1, classes)));
        return node("ReduceMean", List.of(stacked), ints("axes", 0), AttributeProto.newBuilder().setName("keepdims")
                .setType(AttributeProto.AttributeType.INT).setI(0).build());
    }

    @Override
    public String conv(String name, String input, INDArray weight, int stride, int pad) {
        // [kH, kW, in, out] to ONNX's [out, in, kH, kW].
        String w = initializer(name + "/weight", weight.permute(3, 2, 0, 1));
        int k = (int) weight.size(0);
        return node("Conv", List.of(input, w), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad));
    }

    @Override
    public String batchNorm(String name, String input, INDArray gamma, INDArray beta, INDArray mean,
            INDArray variance, double epsilon) {
        return node("BatchNormalization", List.of(input, initializer(name + "/gamma", gamma),
                initializer(name + "/beta", beta), initializer(name + "/running_mean", mean),
                initializer(name + "/running_var", variance)),
                AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                        .setF((float) epsilon).build());
    }

    @Override
    public String relu(String input) {
        return node("Relu", List.of(input));
    }

    @Override
    public String depthwiseConv(String name, String input, INDArray weight, int stride, int pad, int dilation) {
        // [k, k, C, 1] to ONNX's [C, 1, k, k], one group per channel; ONNX runs the dilation itself.
        String w = initializer(name + "/weight", weight.permute(2, 3, 0, 1));
        int k = (int) weight.size(0);
        return node("Conv", List.of(input, w), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad), ints("dilations", dilation, dilation),
                AttributeProto.newBuilder().setName("group").setType(AttributeProto.AttributeType.INT)
                        .setI(weight.size(2)).build());
    }

    @Override
    public String maxPool(String input, int k, int stride, int pad) {
        return node("MaxPool", List.of(input), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad));
    }

    @Override
    public String concat(List<String> inputs) {
        return node("Concat", inputs, AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.INT).setI(1).build());
    }

    @Override
    public String dropFirstRowAndColumn(String input) {
        String starts = longs("slice_starts" + counter, 1, 1);
        String ends = longs("slice_ends" + counter, Long.MAX_VALUE, Long.MAX_VALUE);
        String axes = longs("slice_axes" + counter, 2, 3);
        return node("Slice", List.of(input, starts, ends, axes));
    }

    /** A 1-D int64 initializer (opset 13 takes Slice bounds as inputs). */
    private String longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        initializers.add(t.build());
        return name;
    }

    @Override
    public String avgPool(String input, int k, int stride, int pad) {
        return node("AveragePool", List.of(input), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad),
                AttributeProto.newBuilder().setName("count_include_pad").setType(AttributeProto.AttributeType.INT)
                        .setI(0).build());
    }

    @Override
    public String add(String a, String b) {
        return node("Add", List.of(a, b));
    }

    @Override
    public String zerosLike(String input) {
        String zero = initializer("zero" + counter, Nd4j.scalar(DataType.FLOAT, 0f));
        return node("Mul", List.of(input, zero));
    }

    @Override
    public String globalAvgPool(String input) {
        String pooled = node("GlobalAveragePool", List.of(input));
        return node("Flatten", List.of(pooled));
    }

    @Override
    public String linear(String name, String input, INDArray weight, INDArray bias) {
        // Gemm computes A·B + C; the [in, out] weight is B as it is.
        return node("Gemm", List.of(input, initializer(name + "/weight", weight), initializer(name + "/bias", bias)));
    }

    private String node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = op.toLowerCase(Locale.ROOT) + "_" + counter++;
        nodes.add(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out)
                .addAllAttribute(List.of(attributes)).build());
        return out;
    }

    private String initializer(String name, INDArray value) {
        INDArray c = value.castTo(DataType.FLOAT).dup('c');
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(c.length() * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : c.data().asFloat()) {
            bytes.putFloat(f);
        }
        bytes.flip();
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : c.shape()) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return name;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static TypeProto dims(String batch, long... rest) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : rest) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
    }

    private static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
