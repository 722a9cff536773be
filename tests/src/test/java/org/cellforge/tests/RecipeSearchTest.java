package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The flagship recipe in the repository, run from the command line as the README runs it, with flags
 * that shrink it to a minute: the same code path (NSGA-II under a parameter limit from a NASWOT warm
 * start, retraining on every training image, one test, exports), then the exported network checked in
 * ONNX Runtime by {@code cellforge verify}.
 */
class RecipeSearchTest {

    private static final Duration RUN = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scaled down from the recipe's 100,000 so that the limit excludes part of this smaller network's space. */
    private static final long LIMIT = 12_000;
    private static final int TRAINING_FILE = 3_000;
    private static final String ALL_CONVOLUTIONS =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private static final String SMALL = "|skip_connect~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|";

    private EmbeddedDatabase db;
    private Sql sql;
    private final Path logs = Path.of("target", "recipe-logs").toAbsolutePath();

    @BeforeEach
    void database() {
        db = EmbeddedDatabase.startTemporary();
        sql = new Sql(db);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void theFlagshipRecipeShrunkByFlagsSearchesWithinItsLimitRetrainsOnTheWholeFileAndExportsWhatItTested(
            @TempDir Path dir) throws Exception {
        // The limit must bite in the shrunk network for the test to show it is kept.
        Nb201Space space = Nb201Space.standard();
        Nb201Macro macro = new Nb201Macro(4, 2, 1, 10);
        assertTrue(macro.parameters(space.parse(ALL_CONVOLUTIONS)) > LIMIT, "the largest cell is over the limit");
        assertTrue(macro.parameters(space.parse(SMALL)) <= LIMIT, "a small cell is within it");
        Path data = TestData.smallFashionMnist(Files.createDirectories(dir.resolve("data")), TRAINING_FILE, 5_000,
                28);
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME",
                EmbeddedDatabase.USER, "QUARKUS_DATASOURCE_PASSWORD", EmbeddedDatabase.USER);
        Path out = dir.resolve("best.json");
        int code;
        String output;
        try (ChildProcess search = ChildProcess.cli("recipe-search", env, logs, "search", "--recipe",
                Path.of("..", "recipes", "fmnist-under-100k.json").toString(), "--dataset", "idx:" + data,
                "--trials", "5", "--epochs", "4", "--train-size", "1000", "--val-size", "500", "--channels", "4",
                "--warm-start", "8", "--retrain-epochs", "1000", "--retraining",
                "minutes=0.1,testTimeAugmentation=flip-shift", "--option",
                "population=4,maxParameters=" + LIMIT, "--threads", "1", "--out", out.toString())) {
            code = search.awaitExit(RUN);
            output = search.output();
        }
        assertEquals(0, code, output);
        // The recipe as the repository holds it now: its version changes whenever what it runs does.
        int version = JSON.readTree(Path.of("..", "recipes", "fmnist-under-100k.json").toFile()).get("recipe")
                .get("version").asInt();
        assertTrue(output.contains("(recipe fmnist-under-100k@" + version + ")"), output);

        long id = sql.count("select id from search");
        JsonNode recipe = JSON.readTree(sql.string("select recipe from search where id = ?", id));
        assertEquals("fmnist-under-100k", recipe.get("name").asText());
        assertEquals(version, recipe.get("version").asInt());
        assertEquals("all", JSON.readTree(sql.string("select retraining from search where id = ?", id)).get("data")
                .asText());
        assertEquals("SUCCEEDED", sql.string("select status from search where id = ?", id));
        // The recipe's successive halving, its rung at epoch 3 of these 4: a trial trains all 4 epochs, or
        // is STOPPED at the rung, never in between.
        assertEquals(5, sql.count("select count(*) from trial where search_id = ? and status in ('SUCCEEDED', "
                + "'STOPPED')", id));
        assertEquals(0, sql.count("select count(*) from trial t where search_id = ? and (select count(*) from "
                + "trial_epoch e where e.trial_id = t.id) <> case status when 'SUCCEEDED' then 4 else 3 end", id),
                "epochs of a trial that ran to the end, and of one stopped at the rung");
        assertEquals(0, sql.count("select count(*) from trial where search_id = ? and parameters > ?", id, LIMIT),
                "no trial over the limit");
        // Trained on every image of the training file, not on the 1,500 of the trials' splits.
        assertEquals(TRAINING_FILE, sql.count("select train_images from retrain where search_id = ? and status = "
                + "'SUCCEEDED'", id));
        double tested = Double.parseDouble(sql.string("select test_accuracy from retrain where search_id = ?", id));
        // Six seconds of retraining at the pace of the trial: some epochs, far fewer than the thousand allowed.
        long epochs = sql.count("select epochs from retrain where search_id = ?", id);
        assertTrue(epochs >= 1 && epochs < 1000, "retrained for " + epochs + " epochs");
        java.util.regex.Matcher planned = java.util.regex.Pattern.compile("for (\\d+) epoch\\(s\\) \\(budget: 0\\.1 "
                + "minutes at its trial's pace, \\d+\\.\\d s per epoch, at most 1000\\)").matcher(output);
        assertTrue(planned.find(), output);
        long first = Long.parseLong(planned.group(1));
        // Planned from the trial's pace, then again after the retraining's own epochs if they differ.
        assertTrue(first == epochs || output.contains("epoch(s) fit the budget, not " + first)
                && output.contains(": " + epochs + " epoch(s) fit the budget"), output);

        // Tested, and exported, on the mean of the logits over ten views of each image: it and its mirror
        // image, each as it is and shifted one pixel four ways.
        String views = "each image averaged over 10 mirrored and shifted views";
        assertTrue(output.contains(String.format(java.util.Locale.ROOT, "test accuracy %.4f (retrained test, 5000 test "
                + "images; %s)", tested, views)), output);
        JsonNode genotype = JSON.readTree(out.toFile());
        assertEquals("flip-shift", genotype.get("results").get("test").get("testTimeAugmentation").asText());
        assertEquals(10 * genotype.get("objectives").get("flops").asLong(),
                genotype.get("results").get("test").get("flopsPerPrediction").asLong(), "ten passes per test image");
        JsonNode provenance = genotype.get("provenance");
        assertEquals("retrained on the whole training file", provenance.get("weights").asText());
        assertEquals("fmnist-under-100k@" + version, provenance.get("recipe").asText());
        assertTrue(provenance.get("retraining").asText().startsWith("images=" + TRAINING_FILE + " epochs=" + epochs
                + " "),
                provenance.toString());
        assertTrue(provenance.get("retraining").asText().endsWith(" test-time-augmentation=flip-shift"),
                provenance.toString());

        Path onnx = dir.resolve("best.onnx");
        assertTrue(Files.isRegularFile(onnx), "the ONNX export is written beside " + out);
        assertEquals("flip-shift", org.cellforge.runner.OnnxCheck.metadata(Files.readAllBytes(onnx))
                .get(org.cellforge.evaluator.export.OnnxExport.TEST_TIME_AUGMENTATION_KEY));
        try (ChildProcess verify = ChildProcess.cli("verify", Map.of(), logs, "verify", onnx.toString(),
                "--dataset", "idx:" + data)) {
            assertEquals(0, verify.awaitExit(RUN), verify.output());
            assertTrue(verify.output().contains(String.format(java.util.Locale.ROOT, "recorded at retraining "
                    + "(retrained test, Cellforge's evaluator): %.4f", tested)), verify.output());
            assertTrue(verify.output().contains("(retrained test; in its graph, " + views + ") on the 5000 test images"),
                    verify.output());
        }
    }
}
