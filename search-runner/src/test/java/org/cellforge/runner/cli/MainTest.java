package org.cellforge.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cellforge.evaluator.export.OnnxExport;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.darts.DartsMacro;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.OpRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's modes that need no database: describe, verify, help, and what is refused. */
class MainTest {

    private static final String NB201 =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|";

    /** The genotype the DARTS paper reports as DARTS_V2. */
    private static final String DARTS_V2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
            + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    /** What one run of the command line printed and returned. */
    private record Run(int code, String out, String err) {
        /** The value printed after {@code label} on its line of the text form. */
        String field(String label) {
            return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(label + " ")).findFirst()
                    .map(l -> l.substring(label.length()).strip()).orElseThrow(() -> new AssertionError("no line "
                            + label + " in:\n" + out));
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Test
    void describeCountsAnNb201CellInTheMacroNetworkTheFlagsAskFor() {
        Nb201Space space = Nb201Space.standard();
        Nb201Cell cell = space.parse(NB201);
        Run r = run("describe", NB201, "--channels", "8", "--cells", "2", "--classes", "5", "--input-channels", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals("nas-bench-201", r.field("space"));
        assertEquals(NB201, r.field("arch"));
        assertEquals(grouped(new Nb201Macro(8, 2, 3, 5).parameters(cell)), r.field("parameters"));
        assertTrue(r.field("flops").startsWith(grouped(new Nb201Macro(8, 2, 3, 5).flops(OpRegistry.builtIn(), cell,
                28, 28)) + " "), r.out());
        assertTrue(r.field("canonical").startsWith(space.canonical(cell).hash() + " "), r.out());

        Run defaults = run("describe", NB201);
        assertEquals(grouped(new Nb201Macro(16, 1, 1, 10).parameters(cell)), defaults.field("parameters"));
    }

    @Test
    void verifyNamesATrialsNetworkMeasuredOnTheTestSplitAsNotRetrained(@TempDir Path dir) throws IOException {
        Network net = Nb201Network.create(Nb201Space.standard().parse(NB201), new Nb201Macro(4, 1, 1, 10), 3);
        Path model = dir.resolve("trial.onnx");
        Files.write(model, OnnxExport.toBytes(net, 1, 28, 28, 10, Map.of("cellforge.accuracy_kind",
                "stand-alone validation", "cellforge.validation_accuracy", "0.5")));
        Run r = run("verify", model.toString());
        assertEquals(0, r.code(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("ONNX Runtime: accuracy "), first);
        assertTrue(first.contains("(test split, on a network not retrained after its trial) on the 10000 test images"),
                first);
        assertTrue(r.out().contains("nothing was compared"), r.out());
    }

    @Test
    void describeCountsADartsGenotypeInTheEvaluationNetwork() {
        DartsSpace space = DartsSpace.standard();
        DartsGenotype g = space.parse(DARTS_V2);
        Run r = run("describe", DARTS_V2, "--channels", "6", "--cells", "2", "--image-size", "32",
                "--input-channels", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals("darts", r.field("space"));
        // Two normal cells per stage and the two reductions: 3 * 2 + 2 cells.
        DartsMacro macro = DartsMacro.of(6, 8, 3, 10);
        assertEquals(grouped(macro.parameters(g)), r.field("parameters"));
        assertTrue(r.field("flops").startsWith(grouped(macro.flops(OpRegistry.builtIn(), g, 32, 32)) + " "), r.out());
        assertTrue(r.field("canonical").startsWith(space.canonical(g).hash() + " "), r.out());
    }

    @Test
    void describeJsonCarriesTheSameNumbers() {
        Nb201Space nb201 = Nb201Space.standard();
        Nb201Cell cell = nb201.parse(NB201);
        Run r = run("describe", NB201, "--channels", "8", "--cells", "2", "--image-size", "32", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> json = (Map<?, ?>) Json.parse(r.out());
        Nb201Macro macro = new Nb201Macro(8, 2, 1, 10);
        assertEquals("nas-bench-201", json.get("space"));
        assertEquals(NB201, json.get("arch"));
        assertEquals(macro.parameters(cell), ((Number) json.get("parameters")).longValue());
        assertEquals(macro.flops(OpRegistry.builtIn(), cell, 32, 32), ((Number) json.get("flops")).longValue());
        assertEquals(nb201.canonical(cell).hash(), ((Map<?, ?>) json.get("canonical")).get("hash"));
        assertEquals(nb201.canonical(cell).expression(), ((Map<?, ?>) json.get("canonical")).get("expression"));
        assertEquals(macro, Nb201Macro.fromJson(JsonNode.root(json.get("macro"))));
        assertEquals(32, ((Number) json.get("imageSize")).intValue());

        DartsSpace darts = DartsSpace.standard();
        DartsGenotype g = darts.parse(DARTS_V2);
        Map<?, ?> dj = (Map<?, ?>) Json.parse(run("describe", DARTS_V2, "--json").out());
        assertEquals(DartsMacro.of(16, 5, 1, 10).parameters(g), ((Number) dj.get("parameters")).longValue());
        assertEquals(darts.canonical(g).hash(), ((Map<?, ?>) dj.get("canonical")).get("hash"));
    }

    @Test
    void aBadArchitectureExitsWithUsageErrorNamingTheBadToken() {
        Run op = run("describe", NB201.replace("avg_pool_3x3", "conv_9x9"));
        assertEquals(2, op.code());
        assertEquals("", op.out());
        assertTrue(op.err().contains("conv_9x9"), op.err());

        Run dartsOp = run("describe", DARTS_V2.replace("dil_conv_3x3", "dil_conv_9x9"));
        assertEquals(2, dartsOp.code());
        assertTrue(dartsOp.err().contains("dil_conv_9x9"), dartsOp.err());

        Run neither = run("describe", "resnet18");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("'resnet18'"), neither.err());
    }

    @Test
    void describeRefusesAnImageSizeTheNetworksCannotHalveTwice() {
        Run odd = run("describe", NB201, "--image-size", "30");
        assertEquals(2, odd.code());
        assertEquals("cellforge: --image-size: the networks of nas-bench-201 halve the image size twice, so it must be "
                + "a multiple of 4, got 30\n", odd.err());
        Run darts = run("describe", DARTS_V2, "--image-size", "2");
        assertEquals(2, darts.code());
        assertTrue(darts.err().contains("--image-size:") && darts.err().contains("got 2"), darts.err());
        assertEquals(0, run("describe", NB201, "--image-size", "32").code());
    }

    @Test
    void anOutThatCannotBeWrittenIsRefusedBeforeTheSearchStarts(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        // Refused before the database starts: the data directory given would fail otherwise, and nothing is made.
        Path data = dir.resolve("data");
        Run under = run("search", "--out", file.resolve("best.json").toString(), "--data-dir", data.toString());
        assertEquals(2, under.code());
        assertEquals("cellforge: --out " + file.resolve("best.json") + ": cannot write in " + file + ": " + file
                + " is a file, not a directory\n", under.err());
        Run directory = run("search", "--out", dir.toString(), "--data-dir", data.toString());
        assertEquals(2, directory.code());
        assertTrue(directory.err().startsWith("cellforge: --out " + dir + ": is a directory; give the file to write"),
                directory.err());
        assertFalse(Files.exists(data));
        // A missing directory is writable if the nearest one that exists is; the check makes nothing.
        assertEquals(java.util.Optional.empty(), Main.unwritable(dir.resolve("nested").resolve("deeper")
                .resolve("best.json")));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "the check leaves no file or directory behind");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsNamedWithTheReasonAndNoStackTrace(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(Main.URL) == null,
                "with an external database configured, --data-dir is not used");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Run run = run("search", "--data-dir", file.toString(), "--out", dir.resolve("best.json").toString());
        assertEquals(1, run.code());
        assertEquals("cellforge: cannot create the database directory " + file.resolve("postgres")
                + ": not a directory\n", run.err());
    }

    @Test
    void unknownModesAndMissingModesExitWithUsageError() {
        Run unknown = run("serve");
        assertEquals(2, unknown.code());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().contains("unknown mode 'serve'"), unknown.err());
        assertTrue(unknown.err().contains("cellforge help"), unknown.err());

        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no mode given"), none.err());

        Run badFlag = run("search", "--trials", "0");
        assertEquals(2, badFlag.code());
        assertTrue(badFlag.err().contains("--trials: must be between 1 and"), badFlag.err());
        assertTrue(badFlag.err().contains("cellforge search --help"), badFlag.err());
    }

    @Test
    void searchHelpAndHelpSearchPrintTheSearchUsage() {
        Run flag = run("search", "--help");
        assertEquals(0, flag.code());
        assertEquals(CommandLine.usage("search"), flag.out());
        assertTrue(flag.out().contains("--early-stopping"), flag.out());
        Run mode = run("help", "search");
        assertEquals(0, mode.code());
        assertEquals(flag.out(), mode.out());
    }

    @Test
    void helpListsEveryMode() {
        Run r = run("help");
        assertEquals(0, r.code());
        for (String mode : CommandLine.MODES) {
            assertTrue(r.out().contains("\n  " + mode + " "), "help lacks mode " + mode + ":\n" + r.out());
        }
    }

    @Test
    void verifyTellsHowAnExportedGraphPredictsAndNamesATestTimeAugmentationItDoesNotKnow() {
        assertEquals("", Main.inGraph("none"));
        assertEquals("; in its graph, each image averaged with its mirror image", Main.inGraph("flip"));
        assertEquals("; in its graph, each image averaged over 10 mirrored and shifted views",
                Main.inGraph("flip-shift"));
        // A file from a later version, say: its own graph still ran, and the reader is told what it recorded.
        assertEquals("; its graph records test-time augmentation 'five-crop', unknown to this version",
                Main.inGraph("five-crop"));
    }
}
