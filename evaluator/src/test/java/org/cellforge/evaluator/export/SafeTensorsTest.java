package org.cellforge.evaluator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.space.json.Json;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

    @Test
    void theFileIsAnAlignedHeaderThenLittleEndianDataInOrder() {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put("0.weight", FloatTensor.of(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("1.bias", FloatTensor.of(new long[] {1}, new float[] {-0.5f}));
        byte[] file = SafeTensors.write(tensors, Map.of("cellforge.arch", "|skip_connect~0|"));

        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(in.getLong());
        assertEquals(0, headerLength % SafeTensors.ALIGNMENT);
        assertEquals(8 + headerLength + 4 * 7, file.length);
        Object header = Json.parse(new String(file, 8, headerLength, StandardCharsets.UTF_8));
        assertEquals(Map.of(
                "__metadata__", Map.of("cellforge.arch", "|skip_connect~0|"),
                "0.weight", Map.of("dtype", "F32", "shape", List.of(2L, 3L), "data_offsets", List.of(0L, 24L)),
                "1.bias", Map.of("dtype", "F32", "shape", List.of(1L), "data_offsets", List.of(24L, 28L))),
                normalized(header));
        in.position(8 + headerLength);
        float[] data = new float[7];
        in.asFloatBuffer().get(data);
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f, 6f, -0.5f), boxed(data));
    }

    @Test
    void withoutMetadataTheHeaderHasNoMetadataEntry() {
        byte[] file = SafeTensors.write(Map.of("w", FloatTensor.of(new long[] {1}, new float[] {1})), Map.of());
        int headerLength = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertFalse(new String(file, 8, headerLength, StandardCharsets.UTF_8).contains("__metadata__"));
    }

    @Test
    void aTensorCannotBeCalledLikeTheMetadata() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(
                Map.of("__metadata__", FloatTensor.of(new long[] {1}, new float[] {1})), Map.of()));
    }

    @Test
    void aMatrixTransposesAndAShapeMustHoldItsValues() {
        FloatTensor t = FloatTensor.of(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}).transpose();
        assertEquals(List.of(3L, 2L), t.shape());
        float[] values = new float[t.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.get(i);
        }
        assertEquals(List.of(1f, 4f, 2f, 5f, 3f, 6f), boxed(values));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new long[] {2, 2}, new float[3]));
    }

    /** JSON numbers as longs, whatever integer type the parser picks. */
    private static Object normalized(Object json) {
        return switch (json) {
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k, normalized(v)));
                yield out;
            }
            case List<?> l -> l.stream().map(SafeTensorsTest::normalized).toList();
            case Number n -> n.longValue();
            default -> json;
        };
    }

    private static List<Float> boxed(float[] values) {
        Float[] b = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = values[i];
        }
        return List.of(b);
    }
}
