package org.cellforge.runner;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.cellforge.engine.Retraining;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.export.OnnxExport;

/**
 * Runs an exported network in ONNX Runtime, the runtime users deploy it with, so that an export is
 * checked by what it computes there rather than by what the evaluator computed before exporting.
 */
public final class OnnxCheck {

    /** Network passes per ONNX Runtime call: images times the views a graph averages over. */
    private static final int BATCH = 500;

    /**
     * What a check found.
     *
     * @param correct images classified correctly in ONNX Runtime
     * @param images the images it was measured on
     * @param recorded the retrained test accuracy recorded in the file's metadata, if any
     * @param dataset the dataset recorded in the file's metadata, if any
     */
    public record Result(long correct, int images, OptionalDouble recorded, Optional<String> dataset) {

        /** The accuracy in ONNX Runtime. */
        public double accuracy() {
            return correct / (double) images;
        }

        /**
         * Whether the recorded accuracy is reproduced within {@code tolerance}; false if none is recorded.
         * Compared in images, not in doubles, so that a difference of exactly the tolerance agrees.
         */
        public boolean agrees(double tolerance) {
            return recorded.isPresent() && Math.abs(correct - Math.round(recorded.getAsDouble() * images))
                    <= Math.round(tolerance * images);
        }
    }

    private OnnxCheck() {
    }

    /** The metadata a search wrote into {@code model} (provenance, accuracies with their kinds). */
    public static Map<String, String> metadata(byte[] model) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /**
     * The accuracy of {@code model} on {@code images} (standardized as the search trained on them),
     * with what the file records.
     *
     * @throws IllegalArgumentException if ONNX Runtime cannot load or run the model on these images
     */
    public static Result check(byte[] model, ImageSet images) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long correct = 0;
        Map<String, String> metadata;
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            metadata = session.getMetadata().getCustomMetadata();
            if (!session.getInputNames().contains(OnnxExport.INPUT) || !session.getOutputNames()
                    .contains(OnnxExport.OUTPUT)) {
                throw new IllegalArgumentException("not a network Cellforge exported: it takes " + session
                        .getInputNames() + " and gives " + session.getOutputNames() + ", where an export takes '"
                        + OnnxExport.INPUT + "' and gives '" + OnnxExport.OUTPUT + "'");
            }
            // A graph that averages views runs the network on each: fewer images per call keep its memory.
            int batch = Math.max(1, BATCH / Retraining.testViews(metadata.getOrDefault(
                    OnnxExport.TEST_TIME_AUGMENTATION_KEY, Retraining.NO_TEST_TIME_AUGMENTATION)));
            for (int start = 0; start < images.size(); start += batch) {
                int n = Math.min(batch, images.size() - start);
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.pixels(start, start + n)),
                        new long[] {n, images.channels(), images.height(), images.width()});
                        OrtSession.Result out = session.run(Map.of(OnnxExport.INPUT, input))) {
                    if (!(out.get(OnnxExport.OUTPUT).orElseThrow().getValue() instanceof float[][] logits)
                            || logits.length != n) {
                        throw new IllegalArgumentException("'" + OnnxExport.OUTPUT + "' is not one row of "
                                + "logits per image");
                    }
                    for (int i = 0; i < n; i++) {
                        if (argMax(logits[i]) == images.labels()[start + i]) {
                            correct++;
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot run the model on " + images.channels() + "x"
                    + images.height() + "x" + images.width() + " images: " + e.getMessage(), e);
        }
        String recorded = "retrained test".equals(metadata.get("cellforge.accuracy_kind"))
                ? metadata.get("cellforge.test_accuracy") : null;
        OptionalDouble accuracy;
        try {
            accuracy = recorded == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(recorded));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the file's cellforge.test_accuracy is not a number: '" + recorded
                    + "'");
        }
        return new Result(correct, images.size(), accuracy, Optional.ofNullable(metadata.get("cellforge.dataset")));
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
