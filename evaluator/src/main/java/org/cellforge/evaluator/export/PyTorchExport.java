package org.cellforge.evaluator.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cellforge.evaluator.TestTimeAugmentation;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;

/**
 * PyTorch source for an NB201 or DARTS architecture: a self-contained module file that builds the same
 * network as the evaluator (same layers, same parameter count), for training or deployment
 * outside Cellforge. Running the file prints the parameter count.
 *
 * <p>A bundle adds the trained weights, taken from the network's ONNX checkpoint ({@link OnnxExport}):
 * a zip of {@value #MODEL_FILE}, whose {@code load_model()} returns the module with its weights in
 * evaluation mode, and {@value #WEIGHTS_FILE}, the module's {@code state_dict} as float32 safetensors
 * with the checkpoint's metadata. The module reads that file with json and numpy, so the
 * {@code safetensors} package is not needed.
 */
public final class PyTorchExport {

    /** Name of the module source in a bundle. */
    public static final String MODEL_FILE = "model.py";

    /** Name of the weights in a bundle. */
    public static final String WEIGHTS_FILE = "weights.safetensors";

    /**
     * Metadata key of the architecture a checkpoint was trained as (its {@code key()}); when present, a
     * bundle must be asked for that architecture, since operations without weights (pooling, skip,
     * zero) leave no other trace in the weights.
     */
    public static final String ARCHITECTURE_KEY = "cellforge.arch";

    /** Zip entries carry this time, so that the same inputs always give the same bundle. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private static final String COUNT_PARAMETERS = """


            if __name__ == "__main__":
                print(sum(p.numel() for p in Network().parameters()))
            """;

    /** The end of a bundle's module: a safetensors reader of a few lines, so that the package is not needed. */
    private static final String LOADER = """


            WEIGHTS = "%s"

            # How the network was tested: "none", or the mean of its logits over the views VIEWS lists; a weights
            # file's own metadata says it for its weights.
            TEST_TIME_AUGMENTATION = "%s"
            TEST_TIME_AUGMENTATION_KEY = "%s"

            # Each test-time augmentation's views (mirrored, dy, dx): view pixel (y, x) is pixel (y + dy, x + dx)
            # of the image, mirrored left to right first if mirrored, and zero outside it.
            VIEWS = {%s}


            class ViewAveraged(nn.Module):
                \"""The mean of the wrapped network's logits over views of the images (see VIEWS).\"""

                def __init__(self, net, views):
                    super().__init__()
                    self.net = net
                    self.views = views

                def forward(self, x):
                    height, width = x.shape[2], x.shape[3]
                    total = 0
                    for mirrored, dy, dx in self.views:
                        view = torch.flip(x, dims=[3]) if mirrored else x
                        if dy or dx:
                            m = max(abs(dy), abs(dx))
                            view = nn.functional.pad(view, (m, m, m, m))
                            view = view[:, :, m + dy:m + dy + height, m + dx:m + dx + width]
                        total = total + self.net(view)
                    return total / len(self.views)


            def read_weights(path):
                \"""The tensors (by state_dict key) and the metadata of a safetensors file of float32 tensors.\"""
                with open(path, "rb") as f:
                    size = int.from_bytes(f.read(8), "little")
                    header = json.loads(f.read(size))
                    data = f.read()
                metadata = header.pop("__metadata__", {})
                tensors = {}
                for name, info in header.items():
                    if info["dtype"] != "F32":
                        raise ValueError(f"{path}: tensor {name} is {info['dtype']}, this reader takes F32 only")
                    begin, end = info["data_offsets"]
                    values = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=begin)
                    # astype copies into native byte order and a writable array, which torch wants to own.
                    tensors[name] = torch.from_numpy(values.astype(np.float32)).reshape(info["shape"])
                return tensors, metadata


            def load(path):
                \"""The network with the weights of the safetensors file at path, in evaluation mode, predicting as
                those weights were tested: wrapped in ViewAveraged if the file's metadata names views to average.\"""
                net = Network()
                tensors, metadata = read_weights(path)
                # BatchNorm's num_batches_tracked is not in the file (ONNX does not keep it): PyTorch sets it
                # to 0 for a plain dict, which strict loading accepts.
                net.load_state_dict(tensors, strict=True)
                tested = metadata.get(TEST_TIME_AUGMENTATION_KEY, "none")
                if tested not in VIEWS:
                    raise ValueError(f"{path}: {TEST_TIME_AUGMENTATION_KEY} is {tested!r}, not one of {list(VIEWS)}")
                return (net if tested == "none" else ViewAveraged(net, VIEWS[tested])).eval()


            def load_model():
                \"""The network with the weights that came with this file, in evaluation mode, predicting as it was
                tested (see TEST_TIME_AUGMENTATION).\"""
                return load(os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS))


            if __name__ == "__main__":
                print(sum(p.numel() for p in load_model().parameters()))
            """;

    private PyTorchExport() {
    }

    /**
     * The source of a module {@code Network} for {@code cell} in {@code macro}.
     *
     * @throws IllegalArgumentException for an operation type that has no PyTorch form here
     */
    public static String nb201(OpRegistry ops, Nb201Cell cell, Nb201Macro macro) {
        return """
                # Generated by Cellforge: the NAS-Bench-201 network of one architecture.
                # Weights are PyTorch's default initialization: train it, or export the trained network as a bundle.
                """ + imports(false, false) + nb201Body(ops, cell, macro) + COUNT_PARAMETERS;
    }

    /**
     * A zip of {@value #MODEL_FILE}, the source of {@link #nb201}, with {@value #WEIGHTS_FILE}, the weights
     * of {@code onnxModel}: the checkpoint of {@code cell} in {@code macro} that {@link OnnxExport} wrote.
     *
     * @throws IllegalArgumentException if {@code onnxModel} is not an ONNX model, was recorded as another
     *     architecture, lacks a weight the network needs, holds one of another shape or one it does not
     *     use (the message names it); or for an operation type that has no PyTorch form here
     */
    public static byte[] bundle(OpRegistry ops, Nb201Cell cell, Nb201Macro macro, byte[] onnxModel) {
        String body = nb201Body(ops, cell, macro);
        return bundle("NAS-Bench-201 network", cell.key(), imports(true, false) + body,
                StateDictLayout.nb201(ops, cell, macro), onnxModel);
    }

    private static String nb201Body(OpRegistry ops, Nb201Cell cell, Nb201Macro macro) {
        Set<String> used = new LinkedHashSet<>(cell.ops());
        List<String> factories = new ArrayList<>();
        for (String name : used) {
            factories.add("    \"" + name + "\": lambda c: " + factory(ops.get(name)) + ",");
        }
        return """

                ARCH = "%s"
                CHANNELS = %d
                CELLS_PER_STAGE = %d
                INPUT_CHANNELS = %d
                CLASSES = %d


                class ReLUConvBN(nn.Sequential):
                    def __init__(self, cin, cout, k, stride=1, dilation=1):
                        super().__init__(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, dilation * (k - 1) // 2,
                                                              dilation=dilation, bias=False), nn.BatchNorm2d(cout))


                class Zero(nn.Module):
                    def forward(self, x):
                        return x * 0.0


                OPS = {
                %s
                }


                class Cell(nn.Module):
                    \"""Nodes 0..3; node j sums op(i->j)(node i) over i < j; node 3 is the output.\"""

                    def __init__(self, arch, c):
                        super().__init__()
                        nodes = [n.strip("|").split("|") for n in arch.split("+")]
                        self.edges = [[(int(e.split("~")[1]), e.split("~")[0]) for e in node] for node in nodes]
                        self.ops = nn.ModuleList(OPS[op](c) for node in self.edges for _, op in node)

                    def forward(self, x):
                        states, k = [x], 0
                        for node in self.edges:
                            s = 0
                            for src, _ in node:
                                s = s + self.ops[k](states[src])
                                k += 1
                            states.append(s)
                        return states[-1]


                class Reduction(nn.Module):
                    \"""ResNet basic block with stride 2, between stages.\"""

                    def __init__(self, cin, cout):
                        super().__init__()
                        self.a = ReLUConvBN(cin, cout, 3, 2)
                        self.b = ReLUConvBN(cout, cout, 3, 1)
                        self.down = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

                    def forward(self, x):
                        return self.down(x) + self.b(self.a(x))


                class Network(nn.Sequential):
                    def __init__(self, arch=ARCH, c=CHANNELS, n=CELLS_PER_STAGE, in_channels=INPUT_CHANNELS,
                                 classes=CLASSES):
                        layers = [nn.Conv2d(in_channels, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)]
                        for stage in range(3):
                            width = c * 2 ** stage
                            if stage:
                                layers.append(Reduction(width // 2, width))
                            layers += [Cell(arch, width) for _ in range(n)]
                        width = c * 4
                        layers += [nn.BatchNorm2d(width), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                   nn.Linear(width, classes)]
                        super().__init__(*layers)
                """.formatted(cell.key(), macro.channels(), macro.cellsPerStage(), macro.inputChannels(),
                macro.classes(), String.join("\n", factories).strip());
    }

    /**
     * The source of a module {@code Network} for a DARTS genotype in {@code macro}: DARTS's
     * NetworkCIFAR without the auxiliary head, as the evaluator builds it.
     *
     * @throws IllegalArgumentException for an operation type that has no PyTorch form here
     */
    public static String darts(OpRegistry ops, DartsGenotype genotype, DartsMacro macro) {
        return """
                # Generated by Cellforge: the DARTS evaluation network (NetworkCIFAR, no auxiliary head) of one genotype.
                # Weights are PyTorch's default initialization: train it, or export the trained network as a bundle.
                """ + imports(false, true) + dartsBody(ops, genotype, macro) + COUNT_PARAMETERS;
    }

    /**
     * A zip of {@value #MODEL_FILE}, the source of {@link #darts}, with {@value #WEIGHTS_FILE}, the weights
     * of {@code onnxModel}: the checkpoint of {@code genotype} in {@code macro} that {@link OnnxExport} wrote.
     *
     * @throws IllegalArgumentException if {@code onnxModel} is not an ONNX model, was recorded as another
     *     genotype, lacks a weight the network needs, holds one of another shape or one it does not use
     *     (the message names it); or for an operation type that has no PyTorch form here
     */
    public static byte[] bundle(OpRegistry ops, DartsGenotype genotype, DartsMacro macro, byte[] onnxModel) {
        String body = dartsBody(ops, genotype, macro);
        return bundle("DARTS network (NetworkCIFAR, no auxiliary head)", genotype.key(),
                imports(true, true) + body, StateDictLayout.darts(ops, genotype, macro), onnxModel);
    }

    private static String dartsBody(OpRegistry ops, DartsGenotype genotype, DartsMacro macro) {
        List<String> factories = new ArrayList<>();
        for (String name : new LinkedHashSet<>(genotype.opNames())) {
            Op op = ops.get(name);
            String make = switch (op.type()) {
                case IDENTITY -> "nn.Identity() if stride == 1 else FactorizedReduce(c, c)";
                case AVG_POOL -> "nn.AvgPool2d(" + op.kernel() + ", stride, " + op.kernel() / 2
                        + ", count_include_pad=False)";
                case MAX_POOL -> "nn.MaxPool2d(" + op.kernel() + ", stride, " + op.kernel() / 2 + ")";
                case CONV -> "ReLUConvBN(c, c, " + op.kernel() + ", stride, " + op.kernel() / 2 + ")";
                case SEP_CONV -> "SepConv(c, c, " + op.kernel() + ", stride, " + op.kernel() / 2 + ")";
                case DIL_CONV -> "DilConv(c, c, " + op.kernel() + ", stride, " + op.dilation() * (op.kernel() - 1) / 2
                        + ", " + op.dilation() + ")";
                default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                        + op.type().configName() + " has no PyTorch form in the DARTS export yet");
            };
            factories.add("    \"" + name + "\": lambda c, stride: " + make + ",");
        }
        return """

                Genotype = namedtuple("Genotype", "normal normal_concat reduce reduce_concat")
                GENOTYPE = %s
                CHANNELS = %d
                LAYERS = %d
                INPUT_CHANNELS = %d
                CLASSES = %d
                STEM_MULTIPLIER = %d


                class ReLUConvBN(nn.Sequential):
                    def __init__(self, cin, cout, k, stride, padding):
                        super().__init__(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, padding, bias=False),
                                         nn.BatchNorm2d(cout))


                class DilConv(nn.Sequential):
                    def __init__(self, cin, cout, k, stride, padding, dilation):
                        super().__init__(nn.ReLU(), nn.Conv2d(cin, cin, k, stride, padding, dilation, groups=cin, bias=False),
                                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


                class SepConv(nn.Sequential):
                    def __init__(self, cin, cout, k, stride, padding):
                        super().__init__(DilConv(cin, cin, k, stride, padding, 1), DilConv(cin, cout, k, 1, padding, 1))


                class FactorizedReduce(nn.Module):
                    def __init__(self, cin, cout):
                        super().__init__()
                        self.relu = nn.ReLU()
                        self.conv_1 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
                        self.conv_2 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
                        self.bn = nn.BatchNorm2d(cout)

                    def forward(self, x):
                        x = self.relu(x)
                        return self.bn(torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1))


                OPS = {
                %s
                }


                class Cell(nn.Module):
                    def __init__(self, genotype, c_pp, c_p, c, reduction, reduction_prev):
                        super().__init__()
                        self.pre0 = FactorizedReduce(c_pp, c) if reduction_prev else ReLUConvBN(c_pp, c, 1, 1, 0)
                        self.pre1 = ReLUConvBN(c_p, c, 1, 1, 0)
                        edges, self.concat = ((genotype.reduce, genotype.reduce_concat) if reduction
                                              else (genotype.normal, genotype.normal_concat))
                        self.inputs = [i for _, i in edges]
                        self.ops = nn.ModuleList(OPS[op](c, 2 if reduction and i < 2 else 1) for op, i in edges)
                        self.multiplier = len(self.concat)

                    def forward(self, s0, s1):
                        states = [self.pre0(s0), self.pre1(s1)]
                        for k in range(0, len(self.ops), 2):
                            states.append(self.ops[k](states[self.inputs[k]]) + self.ops[k + 1](states[self.inputs[k + 1]]))
                        return torch.cat([states[i] for i in self.concat], dim=1)


                class Network(nn.Module):
                    def __init__(self, genotype=GENOTYPE, c=CHANNELS, layers=LAYERS, in_channels=INPUT_CHANNELS,
                                 classes=CLASSES, stem_multiplier=STEM_MULTIPLIER):
                        super().__init__()
                        c_curr = stem_multiplier * c
                        self.stem = nn.Sequential(nn.Conv2d(in_channels, c_curr, 3, padding=1, bias=False),
                                                  nn.BatchNorm2d(c_curr))
                        c_pp, c_p, c_curr = c_curr, c_curr, c
                        self.cells = nn.ModuleList()
                        reduction_prev = False
                        for i in range(layers):
                            reduction = i in (layers // 3, 2 * layers // 3)
                            if reduction:
                                c_curr *= 2
                            cell = Cell(genotype, c_pp, c_p, c_curr, reduction, reduction_prev)
                            self.cells.append(cell)
                            reduction_prev = reduction
                            c_pp, c_p = c_p, cell.multiplier * c_curr
                        self.pool = nn.AdaptiveAvgPool2d(1)
                        self.classifier = nn.Linear(c_p, classes)

                    def forward(self, x):
                        s0 = s1 = self.stem(x)
                        for cell in self.cells:
                            s0, s1 = s1, cell(s0, s1)
                        return self.classifier(self.pool(s1).flatten(1))
                """.formatted(genotype.key(), macro.channels(), macro.layers(), macro.inputChannels(), macro.classes(),
                macro.stemMultiplier(), String.join("\n", factories).strip());
    }

    private static String imports(boolean weights, boolean namedtuple) {
        StringBuilder py = new StringBuilder();
        if (weights) {
            py.append("import json\nimport os\n");
        }
        if (namedtuple) {
            py.append("from collections import namedtuple\n");
        }
        if (!py.isEmpty()) {
            py.append('\n');
        }
        if (weights) {
            py.append("import numpy as np\n");
        }
        return py.append("import torch\nimport torch.nn as nn\n").toString();
    }

    /** The bundle of a module whose source after the docstring is {@code source}. */
    private static byte[] bundle(String title, String architecture, String source, List<StateDictLayout.Slot> layout,
            byte[] onnxModel) {
        OnnxCheckpoint checkpoint = OnnxCheckpoint.of(onnxModel);
        String recorded = checkpoint.metadata().get(ARCHITECTURE_KEY);
        if (recorded != null && !recorded.equals(architecture)) {
            throw new IllegalArgumentException("the ONNX model was trained as " + recorded + ", not " + architecture);
        }
        byte[] weights = SafeTensors.write(stateDict(architecture, layout, checkpoint), checkpoint.metadata());
        TestTimeAugmentation tta;
        try {
            tta = TestTimeAugmentation.of(checkpoint.metadata().getOrDefault(OnnxExport.TEST_TIME_AUGMENTATION_KEY,
                    TestTimeAugmentation.NONE.label()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the ONNX model's metadata " + OnnxExport.TEST_TIME_AUGMENTATION_KEY
                    + ": " + e.getMessage(), e);
        }
        String images = checkpoint.imageShape()
                .map(s -> "[N, " + s.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]")
                .orElse("[N, C, H, W]");
        String docstring = """
                \"""The %s of a Cellforge run, with its trained weights.

                Keep this file next to %s, which holds the weights and, as metadata, where they come
                from. Only torch and numpy are needed, not the safetensors package:

                    import model
                    net = model.load_model()  # weights loaded strictly, evaluation mode
                    logits = net(images)      # float32 images %s, preprocessed as for training%s

                load(path) reads weights from another file, read_weights(path) returns the tensors and the
                metadata. Running this file loads the weights and prints the parameter count.
                \"""
                """.formatted(title, WEIGHTS_FILE, images, tta == TestTimeAugmentation.NONE ? ""
                        : "\n                              # (the mean over VIEWS[\"" + tta.label() + "\"], as tested)");
        return zip(docstring + source + LOADER.formatted(WEIGHTS_FILE, tta.label(), OnnxExport.TEST_TIME_AUGMENTATION_KEY,
                views()), weights);
    }

    /** The Python dict literal of every test-time augmentation's views, by label. */
    private static String views() {
        return Arrays.stream(TestTimeAugmentation.values())
                .map(t -> "\n    \"" + t.label() + "\": [" + t.views().stream()
                        .map(v -> "(" + (v.mirrored() ? "True" : "False") + ", " + v.dy() + ", " + v.dx() + ")")
                        .collect(Collectors.joining(", ")) + "],")
                .collect(Collectors.joining()) + "\n";
    }

    /**
     * The module's state dict from the checkpoint's weights, every one of which it must use.
     *
     * @throws IllegalArgumentException naming the first missing, wrongly shaped or unused weights
     */
    private static Map<String, FloatTensor> stateDict(String architecture, List<StateDictLayout.Slot> layout,
            OnnxCheckpoint checkpoint) {
        Map<String, FloatTensor> state = new LinkedHashMap<>();
        Set<String> unused = new LinkedHashSet<>(checkpoint.weights().keySet());
        List<String> problems = new ArrayList<>();
        for (StateDictLayout.Slot slot : layout) {
            FloatTensor t = checkpoint.weights().get(slot.onnxName());
            unused.remove(slot.onnxName());
            if (t == null) {
                problems.add("it has no weight '" + slot.onnxName() + "' (" + slot.torchName() + ", shape "
                        + slot.onnxShape() + ")");
            } else if (!t.shape().equals(slot.onnxShape())) {
                problems.add("its weight '" + slot.onnxName() + "' (" + slot.torchName() + ") has shape " + t.shape()
                        + ", not " + slot.onnxShape());
            } else {
                state.put(slot.torchName(), slot.transpose() ? t.transpose() : t);
            }
        }
        for (String name : unused) {
            problems.add("its weight '" + name + "' has no place in this network");
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(3, problems.size());
            throw new IllegalArgumentException("the ONNX model is not a checkpoint of " + architecture
                    + " in this macro: " + String.join("; ", problems.subList(0, shown))
                    + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""));
        }
        return state;
    }

    private static byte[] zip(String source, byte[] weights) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, MODEL_FILE, source.getBytes(StandardCharsets.UTF_8));
            entry(zip, WEIGHTS_FILE, weights);
        } catch (IOException e) {
            // A stream into memory does not fail.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static String factory(Op op) {
        return switch (op.type()) {
            case ZERO -> "Zero()";
            case IDENTITY -> "nn.Identity()";
            case CONV -> "ReLUConvBN(c, c, " + op.kernel() + ", 1, " + op.dilation() + ")";
            case AVG_POOL -> "nn.AvgPool2d(" + op.kernel() + ", 1, " + op.kernel() / 2 + ", count_include_pad=False)";
            default -> throw new IllegalArgumentException("operation '" + op.name() + "' of type "
                    + op.type().configName() + " has no PyTorch form in the NB201 export yet");
        };
    }
}
