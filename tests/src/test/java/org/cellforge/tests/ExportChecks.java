package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.runner.OnnxCheck;
import org.cellforge.space.json.Json;

/** Reads exported networks the way their users would: ONNX in ONNX Runtime, the PyTorch bundle as a zip. */
final class ExportChecks {

    /** The files a PyTorch bundle must hold for its documented use. */
    static final List<String> PYTORCH_FILES = List.of("model.py", "weights.safetensors");

    private ExportChecks() {
    }

    /** An ONNX model loaded in ONNX Runtime, with the provenance it carries. */
    record Onnx(long[] inputShape, Map<String, String> metadata, float[][] logits) {
    }

    /**
     * Loads {@code model} in ONNX Runtime and runs it on {@code batch} random images of its declared
     * input shape.
     */
    static Onnx run(byte[] model, int batch) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            NodeInfo input = session.getInputInfo().get("input");
            long[] shape = ((TensorInfo) input.getInfo()).getShape();
            assertEquals(4, shape.length, "NCHW input: " + Arrays.toString(shape));
            long[] concrete = {batch, shape[1], shape[2], shape[3]};
            float[] pixels = new float[Math.toIntExact(batch * shape[1] * shape[2] * shape[3])];
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), concrete);
                    OrtSession.Result out = session.run(Map.of("input", x))) {
                float[][] logits = (float[][]) out.get("logits").orElseThrow().getValue();
                return new Onnx(shape, session.getMetadata().getCustomMetadata(), logits);
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime cannot run the exported model: " + e.getMessage(), e);
        }
    }

    /** The accuracy of {@code model} on {@code images} (already normalized as the search trained on them). */
    static double accuracy(byte[] model, ImageSet images) {
        return OnnxCheck.check(model, images).accuracy();
    }

    /** Asserts that every logit is a finite number and each image has {@code classes} of them. */
    static void assertLogits(float[][] logits, int images, int classes) {
        assertEquals(images, logits.length, "one row of logits per image");
        for (float[] row : logits) {
            assertEquals(classes, row.length, "logits per image");
            for (float v : row) {
                assertTrue(Float.isFinite(v), "logit " + v);
            }
        }
    }

    /** The entries of a zip by name. */
    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a zip", e);
        }
        return entries;
    }

    /**
     * Checks a PyTorch bundle: both files present, the module non-empty Python, the weights a
     * well-formed safetensors file of float32 tensors that hold at least {@code parameters} values
     * (a state_dict holds the trainable parameters and the BatchNorm statistics).
     */
    @SuppressWarnings("unchecked")
    static void assertPyTorchBundle(byte[] zip, long parameters) {
        Map<String, byte[]> files = unzip(zip);
        assertTrue(files.keySet().containsAll(PYTORCH_FILES), "bundle holds " + files.keySet());
        String module = new String(files.get("model.py"), StandardCharsets.UTF_8);
        assertTrue(module.contains("import torch"), "model.py is a PyTorch module");
        byte[] weights = files.get("weights.safetensors");
        ByteBuffer b = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong();
        assertTrue(headerLength > 0 && 8 + headerLength <= weights.length, "header length " + headerLength);
        Map<String, Object> header = (Map<String, Object>) Json.parse(new String(weights, 8, (int) headerLength,
                StandardCharsets.UTF_8));
        long dataLength = weights.length - 8 - headerLength;
        long floats = 0;
        long covered = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            Map<String, Object> tensor = (Map<String, Object>) e.getValue();
            assertEquals("F32", tensor.get("dtype"), e.getKey());
            long count = 1;
            for (Object d : (List<Object>) tensor.get("shape")) {
                count *= ((Number) d).longValue();
            }
            List<Object> offsets = (List<Object>) tensor.get("data_offsets");
            long begin = ((Number) offsets.get(0)).longValue();
            long end = ((Number) offsets.get(1)).longValue();
            assertEquals(4 * count, end - begin, "bytes of " + e.getKey());
            assertTrue(begin >= 0 && end <= dataLength, e.getKey() + " lies inside the data");
            floats += count;
            covered += end - begin;
        }
        assertFalse(header.isEmpty(), "the weights hold tensors");
        assertEquals(dataLength, covered, "the tensors cover the data exactly");
        assertTrue(floats >= parameters, floats + " stored values for " + parameters + " parameters");
    }
}
