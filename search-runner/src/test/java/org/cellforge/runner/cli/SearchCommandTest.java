package org.cellforge.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.cellforge.evaluator.export.PyTorchExport;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cellforge search} from flags to exported files, on its own embedded PostgreSQL. */
class SearchCommandTest {

    /** How every line the search command prints begins (its progress, summary and exports). */
    private static final List<String> PREFIXES = List.of("cellforge: search ", "[", "retraining trial ",
            "  epoch ", "  test accuracy ", "search ", "best: ", "  validation accuracy ", "exported: ");

    /** An accuracy with what may say its kind: the words before it, or the parenthesis after it. */
    private static final Pattern ACCURACY = Pattern.compile(
            "(train )?accuracy \\d\\.\\d{4}( \\((?:stand-alone validation|retrained test)[,) ])?");

    @TempDir
    Path dir;

    @Test
    void aSearchPrintsItsTrialsAndSummaryAndWritesTheExports() throws IOException {
        assumeTrue(System.getenv(Main.URL) == null, "an external database is configured; this test uses the "
                + "embedded one");
        Path out = dir.resolve("best.json");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code;
        // The process streams are captured too: start-up chatter of the libraries would go there, not to
        // the streams the command is handed.
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.run(o, e, "search", "--trials", "2", "--epochs", "1", "--channels", "4", "--train-size",
                    "600", "--val-size", "200", "--batch", "50", "--seed", "5", "--data-dir", dir.toString(),
                    "--out", out.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + errors);

        List<String> lines = printed.lines().toList();
        for (String line : lines) {
            assertTrue(PREFIXES.stream().anyMatch(line::startsWith), "unexpected output line: " + line);
        }
        assertEquals(1, lines.stream().filter(l -> l.startsWith("cellforge: search ")).count(), printed);
        List<String> trials = lines.stream().filter(l -> l.startsWith("[")).toList();
        assertEquals(2, trials.size(), printed);
        assertTrue(trials.get(0).startsWith("[1/2] |") && trials.get(1).startsWith("[2/2] |"), printed);
        assertTrue(trials.stream().allMatch(l -> l.contains(" val_acc ")), printed);
        assertTrue(lines.stream().anyMatch(l -> l.matches("search \\d+ SUCCEEDED in .*")), printed);

        // Every accuracy printed says its kind; the summary gives both the search's and the final one.
        for (String line : lines) {
            Matcher m = ACCURACY.matcher(line);
            while (m.find()) {
                assertTrue(m.group(1) != null || m.group(2) != null, "an accuracy without its kind: " + line);
            }
        }
        String summary = printed.substring(printed.indexOf("\nsearch "));
        assertTrue(summary.contains("validation accuracy ") && summary.contains("(stand-alone validation, trial "),
                summary);
        assertTrue(summary.contains("test accuracy ") && summary.contains("(retrained test on 10000 images"), summary);

        // Nothing below warning level reaches the error stream either.
        for (String line : errors.lines().toList()) {
            assertFalse(line.startsWith("info") || line.startsWith("fine") || line.startsWith("config")
                    || line.contains(" INFO"), "start-up chatter on the error stream: " + line);
        }

        String best = lines.stream().filter(l -> l.startsWith("best: ")).findFirst().orElseThrow().substring(6);
        Nb201Space space = Nb201Space.standard();
        assertEquals(space.parse(best), space.fromJson(Files.readString(out)));
        Path onnx = dir.resolve("best.onnx");
        assertTrue(Files.size(onnx) > 0);
        try (ZipFile zip = new ZipFile(dir.resolve("best-pytorch.zip").toFile())) {
            assertTrue(zip.getEntry(PyTorchExport.MODEL_FILE) != null && zip.getEntry(PyTorchExport.WEIGHTS_FILE)
                    != null);
        }
        assertEquals(3, lines.stream().filter(l -> l.startsWith("exported: ")).count(), printed);
        assertFalse(Files.exists(dir.resolve("postgres").resolve("postmaster.pid")),
                "the embedded database is stopped when the command ends");
    }
}
