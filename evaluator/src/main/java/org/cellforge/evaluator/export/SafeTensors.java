package org.cellforge.evaluator.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.space.json.Json;

/**
 * Writes float32 tensors in the safetensors format: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range in the data (plus string metadata under
 * {@code __metadata__}), then the data, little-endian, tensor after tensor in the map's order.
 */
final class SafeTensors {

    /** The header is padded with spaces to a multiple of this, so that the data starts aligned for any dtype. */
    static final int ALIGNMENT = 8;

    private SafeTensors() {
    }

    /** The file holding {@code tensors} by name and {@code metadata}, left out of the header when empty. */
    static byte[] write(Map<String, FloatTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("__metadata__ is not a tensor name");
            }
            long end = offset + 4L * e.getValue().size();
            List<Object> shape = new ArrayList<>(e.getValue().shape());
            // Field order fixed, so that the same tensors always give the same bytes.
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), entry);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = Math.ceilDiv(json.length, ALIGNMENT) * ALIGNMENT;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        tensors.values().forEach(t -> t.writeTo(out));
        return out.array();
    }
}
