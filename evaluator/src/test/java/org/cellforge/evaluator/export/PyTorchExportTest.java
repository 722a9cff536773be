package org.cellforge.evaluator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.cellforge.evaluator.darts.DartsNetwork;
import org.cellforge.evaluator.darts.DartsNetworkTest;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Parameters;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class PyTorchExportTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Runs each generated module with Debian's python3-torch (installed by .ci/run) and compares parameter counts. */
    @Test
    void theGeneratedModuleHasTheEvaluatorsParameterCount(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(torchAvailable(), "python3-torch is not installed");
        OpRegistry ops = OpRegistry.builtIn().withConfig("""
                {"version": 1, "ops": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5}]}""");
        Nb201Space space = Nb201Space.of(ops, List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                "avg_pool_3x3", "nor_conv_5x5"));
        List<Nb201Cell> cells = List.of(
                space.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"),
                space.parse("|nor_conv_5x5~0|+|none~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_5x5~2|"));
        Nb201Macro macro = new Nb201Macro(8, 2, 3, 100);
        for (Nb201Cell cell : cells) {
            long expected = Nb201Network.create(ops, cell, macro, Parameters.of(DataType.FLOAT, 0)).parameterCount();
            assertEquals(expected, torchParameters(dir, PyTorchExport.nb201(ops, cell, macro)), cell.key());
        }
    }

    @Test
    void theGeneratedDartsModuleHasTheEvaluatorsParameterCount(@TempDir Path dir)
            throws IOException, InterruptedException {
        assumeTrue(torchAvailable(), "python3-torch is not installed");
        DartsMacro macro = DartsMacro.of(6, 5, 3, 10);
        for (DartsGenotype g : List.of(DartsNetworkTest.MIXED, DartsSpace.standard().sample(new SplittableRandom(2)))) {
            long expected = DartsNetwork.create(OpRegistry.builtIn(), g, macro, Parameters.of(DataType.FLOAT, 0))
                    .parameterCount();
            assertEquals(expected, torchParameters(dir, PyTorchExport.darts(OpRegistry.builtIn(), g, macro)), g.key());
        }
    }

    /** Runs a generated module file, which prints its parameter count last. */
    private static long torchParameters(Path dir, String source) throws IOException, InterruptedException {
        Path file = dir.resolve("net.py");
        Files.writeString(file, source);
        Process p = new ProcessBuilder(PYTHON.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python did not finish");
        assertEquals(0, p.exitValue(), out);
        return Long.parseLong(out.lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void operationsWithoutAPyTorchFormAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyTorchExport.nb201(
                OpRegistry.builtIn(), Nb201Cell.of("sep_conv_3x3", "none", "none", "none", "none", "none"),
                new Nb201Macro(8, 1, 1, 10)));
        assertTrue(e.getMessage().contains("sep_conv_3x3"), e.getMessage());
    }

    private static boolean torchAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
    }
}
