package org.cellforge.web;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import jakarta.inject.Inject;

import org.cellforge.web.cli.CommandLine;
import org.cellforge.web.search.ConflictException;
import org.cellforge.web.search.GenotypeExport;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.TrialInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** Runs the mode chosen on the command line once Quarkus is up. */
public class CellforgeApp implements QuarkusApplication {

    @Inject
    SearchService searches;

    @Inject
    ObjectMapper json;

    @Override
    public int run(String... args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        if (!line.mode().equals("search")) {
            System.out.println("cellforge: dashboard and API on http://localhost:" + line.port() + "/");
            Quarkus.waitForExit();
            return 0;
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "cellforge: searching %s with %s, %d trials of %d epoch(s)%n",
                line.request().space(), line.request().controller(), line.request().trials(), line.request().epochs());
        SearchInfo done = searches.runNow(line.request(), (trial, budget) -> out.println(progressLine(trial, budget)));
        out.printf(Locale.ROOT, "search %d %s: %d trial(s)%n", done.id(), done.status(), done.trialsFinished());
        if (done.error() != null) {
            out.println("error: " + done.error());
        }
        try {
            GenotypeExport best = searches.exportBest(done.id());
            out.printf(Locale.ROOT, "best: %s  validation accuracy %.4f (stand-alone training, validation split)%n",
                    best.arch(), best.validationAccuracy());
            Path file = line.out().toAbsolutePath();
            writeAtomically(file, json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(best));
            out.println("exported: " + file);
            String name = file.getFileName().toString();
            Path model = file.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name)
                    + ".onnx");
            writeAtomically(model, searches.bestOnnx(done.id()));
            out.println("exported: " + model + " (trained network, ONNX)");
        } catch (ConflictException e) {
            out.println("no architecture to export: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            out.println("cannot write the export: " + e.getMessage());
            return 1;
        }
        return "SUCCEEDED".equals(done.status()) ? 0 : 1;
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String progressLine(TrialInfo t, int budget) {
        String outcome = t.validationAccuracy() != null
                ? String.format(Locale.ROOT, "val_acc %.4f", t.validationAccuracy())
                : "FAILED: " + t.failure();
        return String.format(Locale.ROOT, "[%d/%d] %s  %s  params %,d  %.1f s", t.number(), budget, t.arch(),
                outcome, t.parameters() == null ? 0 : t.parameters(), t.seconds() == null ? 0 : t.seconds());
    }
}
