package org.cellforge.evaluator.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * What a stored ONNX model holds besides its graph: the trained weights (float initializers of
 * rank one or more; the scalars and int64 bounds {@link OnnxExport} adds for Mul and Slice are
 * not weights), the metadata properties, and the image shape of its input.
 */
final class OnnxCheckpoint {

    private final Map<String, FloatTensor> weights;
    private final Map<String, String> metadata;
    private final List<Long> imageShape;

    private OnnxCheckpoint(Map<String, FloatTensor> weights, Map<String, String> metadata, List<Long> imageShape) {
        this.weights = weights;
        this.metadata = metadata;
        this.imageShape = imageShape;
    }

    /**
     * The checkpoint in a serialized ONNX model.
     *
     * @throws IllegalArgumentException if the bytes are not an ONNX model or a weight's data does not fit its shape
     */
    static OnnxCheckpoint of(byte[] model) {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(Objects.requireNonNull(model, "onnxModel"));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        if (!proto.hasGraph()) {
            throw new IllegalArgumentException("not an ONNX model: it has no graph");
        }
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber() && t.getDimsCount() > 0) {
                weights.put(t.getName(), floats(t));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto p : proto.getMetadataPropsList()) {
            metadata.put(p.getKey(), p.getValue());
        }
        List<Long> image = List.of();
        for (ValueInfoProto in : proto.getGraph().getInputList()) {
            if (in.getName().equals(OnnxExport.INPUT) && in.getType().hasTensorType()) {
                List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
                if (dims.size() == 4 && dims.stream().skip(1).allMatch(TensorShapeProto.Dimension::hasDimValue)) {
                    image = dims.stream().skip(1).map(TensorShapeProto.Dimension::getDimValue).toList();
                }
            }
        }
        return new OnnxCheckpoint(Collections.unmodifiableMap(weights), Collections.unmodifiableMap(metadata), image);
    }

    private static FloatTensor floats(TensorProto t) {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] values;
        if (t.hasRawData()) {
            // ONNX stores raw tensor data little-endian.
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() % 4 != 0) {
                throw new IllegalArgumentException("weight '" + t.getName() + "' has " + raw.remaining()
                        + " bytes of data, not whole floats");
            }
            values = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(values);
        } else {
            values = new float[t.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = t.getFloatData(i);
            }
        }
        try {
            return FloatTensor.of(shape, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weight '" + t.getName() + "': " + e.getMessage(), e);
        }
    }

    /** The weights by initializer name, in the model's order. */
    Map<String, FloatTensor> weights() {
        return weights;
    }

    /** The metadata properties, in the model's order. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** Channels, height and width of the input images, if the model states them. */
    Optional<List<Long>> imageShape() {
        return imageShape.isEmpty() ? Optional.empty() : Optional.of(imageShape);
    }
}
