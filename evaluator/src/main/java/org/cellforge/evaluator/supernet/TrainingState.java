package org.cellforge.evaluator.supernet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything a long training needs to continue after a restart: named arrays (weights, BatchNorm
 * statistics, optimizer state) and string metadata (epoch, seeds, format versions), as bytes for a
 * database column. Arrays keep their type and shape exactly, so training resumed from a state
 * takes the same steps as training that never stopped.
 *
 * @param arrays arrays by name, in a fixed order
 * @param metadata strings by name
 */
public record TrainingState(Map<String, INDArray> arrays, Map<String, String> metadata) {

    private static final int MAGIC = 0x43465453; // "CFTS"
    private static final int VERSION = 1;

    public TrainingState {
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The metadata entry {@code key}. */
    public String meta(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("training state has no '" + key + "'");
        }
        return v;
    }

    /** The arrays whose names start with {@code prefix}, with the prefix removed. */
    public Map<String, INDArray> under(String prefix) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), a);
            }
        });
        return out;
    }

    /** The compressed binary form. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(arrays.size());
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                INDArray a = e.getValue();
                out.writeUTF(e.getKey());
                out.writeUTF(a.dataType().name());
                out.writeInt(a.rank());
                for (long s : a.shape()) {
                    out.writeLong(s);
                }
                if (a.dataType() == DataType.DOUBLE) {
                    for (double v : a.reshape(a.length()).toDoubleVector()) {
                        out.writeDouble(v);
                    }
                } else {
                    for (float v : a.reshape(a.length()).toFloatVector()) {
                        out.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the binary form.
     *
     * @throws IllegalArgumentException if the bytes are not a training state this code reads
     */
    public static TrainingState fromBytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(data)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a training state");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("training state version " + version + " is not readable; this "
                        + "version reads " + VERSION);
            }
            Map<String, String> meta = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                meta.put(in.readUTF(), in.readUTF());
            }
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                DataType type = DataType.valueOf(in.readUTF());
                long[] shape = new long[in.readInt()];
                long n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                INDArray a;
                if (type == DataType.DOUBLE) {
                    double[] v = new double[Math.toIntExact(n)];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = in.readDouble();
                    }
                    a = Nd4j.create(v, shape, DataType.DOUBLE);
                } else {
                    float[] v = new float[Math.toIntExact(n)];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = in.readFloat();
                    }
                    a = Nd4j.create(v, shape, DataType.FLOAT).castTo(type);
                }
                arrays.put(name, a);
            }
            return new TrainingState(arrays, meta);
        } catch (IOException e) {
            throw new IllegalArgumentException("training state is damaged: " + e.getMessage(), e);
        }
    }
}
