package org.cellforge.evaluator.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.darts.DartsNetworkTest;
import org.cellforge.evaluator.data.Batches;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.json.Json;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bundles of trained networks, loaded by the generated module in Debian's python3-torch (installed
 * by .ci/run), against ONNX Runtime on the same checkpoint.
 */
class PyTorchExportBundleTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int N = 6;
    private static final int C = 3;
    private static final int SIDE = 16;
    private static final int CLASSES = 5;
    private static final double TOLERANCE = 1e-4;

    /** Every NB201 operation type with weights or without, stride-2 blocks, and two cells per stage. */
    private static final Nb201Cell CELL = Nb201Space.standard()
            .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|");
    private static final Nb201Macro MACRO = new Nb201Macro(4, 2, C, CLASSES);

    @Test
    void anNb201BundleComputesTheCheckpointsLogitsInPyTorch(@TempDir Path dir) throws Exception {
        assumeTrue(torchAvailable(), "python3-torch is not installed");
        Network net = trained(Nb201Network.create(CELL, MACRO, 7));
        Map<String, String> provenance = provenance(CELL.key());
        byte[] onnx = OnnxExport.toBytes(net, C, SIDE, SIDE, CLASSES, provenance);
        byte[] bundle = PyTorchExport.bundle(OpRegistry.builtIn(), CELL, MACRO, onnx);
        double worst = compareWithOnnxRuntime(dir, bundle, onnx, net.parameterCount(), provenance);
        System.out.printf("NB201 bundle: largest logit difference to ONNX Runtime %.3g%n", worst);

        // One-sided views, which flip-shift's symmetric set would not tell from their opposites: the
        // bundle's ViewAveraged cuts the same windows as the ONNX graph (and so as the evaluator).
        byte[] averaged = OnnxExport.toBytes(net, C, SIDE, SIDE, CLASSES, provenance, "one-sided",
                List.of(new TestTimeAugmentation.View(true, 1, -2), new TestTimeAugmentation.View(false, -1, 2)));
        compareWithOnnxRuntime(Files.createDirectory(dir.resolve("one-sided")), bundle, averaged,
                net.parameterCount(), provenance,
                "model.ViewAveraged(model.load_model(), [(True, 1, -2), (False, -1, 2)]).eval()");
    }

    /** A checkpoint tested on the mean over views of each image loads as a module that predicts the same. */
    @ParameterizedTest
    @EnumSource(value = TestTimeAugmentation.class, names = {"FLIP", "FLIP_SHIFT"})
    void aViewAveragedBundlePredictsAsItsExportDoes(TestTimeAugmentation tta, @TempDir Path dir) throws Exception {
        assumeTrue(torchAvailable(), "python3-torch is not installed");
        Network net = trained(Nb201Network.create(CELL, MACRO, 7));
        Map<String, String> provenance = provenance(CELL.key());
        byte[] onnx = OnnxExport.toBytes(net, C, SIDE, SIDE, CLASSES, provenance, tta);
        Map<String, String> recorded = new LinkedHashMap<>(provenance);
        recorded.put(OnnxExport.TEST_TIME_AUGMENTATION_KEY, tta.label());
        double worst = compareWithOnnxRuntime(dir, PyTorchExport.bundle(OpRegistry.builtIn(), CELL, MACRO, onnx), onnx,
                net.parameterCount(), recorded);
        System.out.printf("%s NB201 bundle: largest logit difference to ONNX Runtime %.3g%n", tta.label(), worst);
    }

    /** Depthwise and dilated filters, pooling, factorized reductions (edges and preprocessing) and concatenation. */
    @Test
    void aDartsBundleComputesTheCheckpointsLogitsInPyTorch(@TempDir Path dir) throws Exception {
        assumeTrue(torchAvailable(), "python3-torch is not installed");
        DartsMacro macro = DartsMacro.of(4, 3, C, CLASSES);
        Network net = trained(DartsNetwork.create(DartsNetworkTest.MIXED, macro, 3));
        Map<String, String> provenance = provenance(DartsNetworkTest.MIXED.key());
        byte[] onnx = OnnxExport.toBytes(net, C, SIDE, SIDE, CLASSES, provenance);
        double worst = compareWithOnnxRuntime(dir, PyTorchExport.bundle(OpRegistry.builtIn(), DartsNetworkTest.MIXED,
                macro, onnx), onnx, net.parameterCount(), provenance);
        System.out.printf("DARTS bundle: largest logit difference to ONNX Runtime %.3g%n", worst);
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefusedNamingTheMissingWeight() {
        byte[] onnx = checkpoint(CELL, Map.of());
        Nb201Cell other = Nb201Space.standard()
                .parse("|nor_conv_1x1~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchExport.bundle(OpRegistry.builtIn(), other, MACRO, onnx));
        assertTrue(e.getMessage().contains("no weight 'stage0/cell0/edge01/nor_conv_1x1/conv/weight'"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherMacroIsRefusedNamingTheWronglyShapedWeight() {
        byte[] onnx = checkpoint(CELL, Map.of());
        Nb201Macro moreClasses = new Nb201Macro(4, 2, C, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchExport.bundle(OpRegistry.builtIn(), CELL, moreClasses, onnx));
        // The classifier reads the 4C = 16 channels of the last stage; it is module 14 of the Sequential:
        // stem convolution and BatchNorm, 2 + 1 + 2 + 1 + 2 cells and reductions, BatchNorm, ReLU, pooling, flattening.
        assertTrue(e.getMessage().contains("'head/linear/weight' (14.weight) has shape [16, 5], not [16, 10]"),
                e.getMessage());
    }

    @Test
    void aCheckpointWithWeightsTheArchitectureDoesNotUseIsRefused() {
        byte[] onnx = checkpoint(CELL, Map.of());
        Nb201Cell skipped = Nb201Space.standard()
                .parse("|skip_connect~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchExport.bundle(OpRegistry.builtIn(), skipped, MACRO, onnx));
        assertTrue(e.getMessage().contains("'stage0/cell0/edge01/nor_conv_3x3/conv/weight' has no place in this network"),
                e.getMessage());
    }

    /** Operations without weights leave no trace in them: only the recorded architecture tells. */
    @Test
    void aCheckpointRecordedAsAnotherArchitectureIsRefused() {
        byte[] onnx = checkpoint(CELL, Map.of(PyTorchExport.ARCHITECTURE_KEY, CELL.key()));
        Nb201Cell pooled = Nb201Space.standard()
                .parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchExport.bundle(OpRegistry.builtIn(), pooled, MACRO, onnx));
        assertTrue(e.getMessage().contains("trained as " + CELL.key() + ", not " + pooled.key()), e.getMessage());
    }

    @Test
    void aDartsCheckpointOfAnotherWidthIsRefusedNamingTheWeight() {
        byte[] onnx = OnnxExport.toBytes(DartsNetwork.create(DartsNetworkTest.MIXED, DartsMacro.of(4, 3, C, CLASSES), 3),
                C, SIDE, SIDE, CLASSES, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyTorchExport.bundle(
                OpRegistry.builtIn(), DartsNetworkTest.MIXED, DartsMacro.of(6, 3, C, CLASSES), onnx));
        // The stem has 3C filters.
        assertTrue(e.getMessage().contains("'stem/conv/weight' (stem.0.weight) has shape [12, 3, 3, 3], not [18, 3, 3, 3]"),
                e.getMessage());
    }

    @Test
    void aCheckpointThatRecordsAnUnknownTestTimeAugmentationIsRefusedNamingTheKey() {
        byte[] onnx = checkpoint(CELL, Map.of(OnnxExport.TEST_TIME_AUGMENTATION_KEY, "mirror"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchExport.bundle(OpRegistry.builtIn(), CELL, MACRO, onnx));
        assertEquals("the ONNX model's metadata cellforge.test_time_augmentation: test-time augmentation must be one "
                + "of [none, flip, flip-shift], got mirror", e.getMessage());
    }

    @Test
    void bytesThatAreNoOnnxModelAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyTorchExport.bundle(
                OpRegistry.builtIn(), CELL, MACRO, "not a model".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("not an ONNX model"), e.getMessage());
    }

    @Test
    void theSameCheckpointGivesTheSameBundle() {
        byte[] onnx = checkpoint(CELL, provenance(CELL.key()));
        assertArrayEquals(PyTorchExport.bundle(OpRegistry.builtIn(), CELL, MACRO, onnx),
                PyTorchExport.bundle(OpRegistry.builtIn(), CELL, MACRO, onnx));
    }

    private static byte[] checkpoint(Nb201Cell cell, Map<String, String> metadata) {
        return OnnxExport.toBytes(Nb201Network.create(cell, MACRO, 1), C, SIDE, SIDE, CLASSES, metadata);
    }

    private static Map<String, String> provenance(String arch) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PyTorchExport.ARCHITECTURE_KEY, arch);
        p.put("cellforge.training", "5 SGD steps on random pixels, lr=0.05");
        p.put("cellforge.note", "quotes \" and a backslash \\ survive the JSON header");
        return p;
    }

    /**
     * {@code net} after a few SGD steps, so that weights and every BatchNorm running statistic have
     * left their initial values (a loader that dropped or swapped them would then show in the logits).
     */
    private static Network trained(Network net) {
        INDArray images = Batches.images(pixels(N, 11), N, C, SIDE, SIDE);
        Optimizer sgd = Optimizer.of(TrainSettings.defaults(1, 0));
        for (int s = 0; s < 5; s++) {
            net.backward(images, new int[] {0, 1, 2, 3, 4, 0});
            sgd.step(net.store().weights(), new HashMap<>(net.store().gradients()), 0.05);
        }
        for (Map.Entry<String, INDArray> b : net.store().buffers().entrySet()) {
            double initial = b.getKey().endsWith("running_var") ? 1 : 0;
            assertTrue(b.getValue().sub(initial).amaxNumber().doubleValue() > 1e-3, b.getKey() + " did not move");
        }
        return net;
    }

    /**
     * Unzips {@code bundle}, loads its module with its weights in PyTorch and runs it on images
     * other than the training batch; checks the parameter count and metadata it reports and
     * returns the largest difference of its logits to ONNX Runtime's on {@code onnx}.
     */
    private static double compareWithOnnxRuntime(Path dir, byte[] bundle, byte[] onnx, long parameters,
            Map<String, String> provenance) throws IOException, InterruptedException, OrtException {
        return compareWithOnnxRuntime(dir, bundle, onnx, parameters, provenance, "model.load_model()");
    }

    /** As above, with the module that {@code loaded} (a Python expression of the bundle's module) makes. */
    private static double compareWithOnnxRuntime(Path dir, byte[] bundle, byte[] onnx, long parameters,
            Map<String, String> provenance, String loaded) throws IOException, InterruptedException, OrtException {
        Path unpacked = Files.createDirectory(dir.resolve("bundle"));
        assertEquals(new TreeSet<>(List.of(PyTorchExport.MODEL_FILE, PyTorchExport.WEIGHTS_FILE)),
                unzip(bundle, unpacked));
        float[] pixels = pixels(N, 12);
        Path images = dir.resolve("images.f32");
        Files.write(images, littleEndian(pixels));
        Path logits = dir.resolve("logits.f32");
        Path script = dir.resolve("run.py");
        Files.writeString(script, """
                import json
                import sys

                import numpy as np
                import torch

                sys.path.insert(0, sys.argv[1])
                import model

                net = %s
                x = torch.from_numpy(np.fromfile(sys.argv[2], dtype="<f4").astype(np.float32).reshape(%d, %d, %d, %d))
                with torch.no_grad():
                    net(x).numpy().astype("<f4").tofile(sys.argv[3])
                print(sum(p.numel() for p in net.parameters()))
                print(json.dumps(model.read_weights(sys.argv[4])[1]))
                """.formatted(loaded, N, C, SIDE, SIDE));
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), unpacked.toString(), images.toString(),
                logits.toString(), unpacked.resolve(PyTorchExport.WEIGHTS_FILE).toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(parameters, Long.parseLong(lines.get(lines.size() - 2)), out);
        assertEquals(provenance, Json.parse(lines.getLast()));

        FloatBuffer torch = ByteBuffer.wrap(Files.readAllBytes(logits)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertEquals(N * CLASSES, torch.remaining());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {N, C, SIDE, SIDE});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] expected = (float[][]) result.get(OnnxExport.OUTPUT).orElseThrow().getValue();
            double worst = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < CLASSES; j++) {
                    worst = Math.max(worst, Math.abs(expected[i][j] - torch.get(i * CLASSES + j)));
                }
            }
            assertTrue(worst <= TOLERANCE, "largest logit difference " + worst);
            return worst;
        }
    }

    /** Extracts the zip into {@code dir}; returns the names of its entries. */
    private static TreeSet<String> unzip(byte[] zip, Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                Files.write(dir.resolve(e.getName()), in.readAllBytes());
            }
        }
        return names;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static float[] pixels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * C * SIDE * SIDE];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return p;
    }

    private static boolean torchAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
    }
}
