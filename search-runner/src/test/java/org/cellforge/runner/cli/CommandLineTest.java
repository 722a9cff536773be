package org.cellforge.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.engine.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    private static final String ARCH =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|";

    @Test
    void searchFlagsFillTheRequest() {
        CommandLine.Search s = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search",
                "--space", "darts", "--controller", "random", "--trials", "4", "--epochs=2", "--seed", "9",
                "--channels", "8", "--cells", "2", "--batch", "32", "--train-size", "1000", "--val-size", "500",
                "--split-seed", "7", "--dataset", "idx:images", "--optimizer", "adam", "--lr", "0.002",
                "--augment", "crop-flip", "--threads", "2", "--warm-start", "5", "--early-stopping",
                "median,minTrials=2", "--retrain-epochs", "3", "--retrain", "front", "--parallel", "2",
                "--out", "x.json", "--data-dir", "state", "--verbose"));
        SearchRequest r = s.request();
        assertEquals("darts", r.space());
        assertEquals("random", r.controller());
        assertEquals(Map.of(), r.options());
        assertEquals(4, r.trials());
        assertEquals(2, r.epochs());
        assertEquals(9L, r.seed());
        assertEquals(8, r.channels());
        assertEquals(2, r.cellsPerStage());
        assertEquals(32, r.batchSize());
        assertEquals(1_000, r.trainSize());
        assertEquals(500, r.validationSize());
        assertEquals(7L, r.splitSeed());
        assertEquals("idx:images", r.dataset());
        assertEquals("adam", r.optimizer());
        assertEquals(0.002, r.learningRate());
        assertEquals("crop-flip", r.augmentation());
        assertEquals(2, r.threads());
        assertEquals(5, r.warmStart());
        assertEquals(Map.of("rule", "median", "graceEpochs", 1L, "minTrials", 2L), r.earlyStopping(),
                "the rule's other settings take their defaults");
        assertEquals(3, r.retrainEpochs());
        assertEquals("front", r.retrain());
        assertEquals(2, r.parallelTrials());
        assertEquals(Path.of("x.json"), s.out());
        assertEquals(Optional.of(Path.of("state")), s.dataDir());
        assertTrue(s.verbose());
        assertEquals(r, r.normalized(), "the command line hands on a normalized request");
    }

    @Test
    void searchWithoutFlagsTakesTheDefaults() {
        CommandLine.Search s = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search"));
        assertEquals(SearchRequest.builder().build().normalized(), s.request());
        assertEquals(Path.of("best-genotype.json"), s.out());
        assertEquals(Optional.empty(), s.dataDir());
        assertFalse(s.verbose());
        assertEquals(1, s.request().retrainEpochs(), "retraining defaults to the epochs of a trial");
        CommandLine.Search noRetrain = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search",
                "--epochs", "3", "--retrain-epochs", "0"));
        assertEquals(0, noRetrain.request().retrainEpochs());
    }

    /** Controller options arrive as text; the controller's validation types them. */
    @Test
    void optionPairsComeFromRepeatedFlagsAndCommas() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("--option", List.of("population=3, mutation=0.5", "objective=flops"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("population", "3");
        expected.put("mutation", "0.5");
        expected.put("objective", "flops");
        assertEquals(expected, new CommandLine.Flags("search", given).pairs("--option"));
        assertNull(new CommandLine.Flags("search", Map.of()).pairs("--option"), "absent: the default");

        // Through the parser: both forms reach the controller, which here accepts only its limits.
        assertMessage("--option population: unknown option; accepted: [maxParameters, maxFlops]", "search",
                "--controller", "random", "--option", "population=3");
        assertMessage("--option population: unknown option", "search", "--option",
                "population=3,mutation=0.5", "--option", "objective=flops");
        assertMessage("--option: population given more than once", "search", "--option", "population=3",
                "--option", "population=4");
        assertMessage("--option: population given more than once", "search", "--option", "population=3,population=4");
        assertMessage("--option: expected KEY=VALUE, got 'population'", "search", "--option", "population");
        assertMessage("--option: expected KEY=VALUE, got 'sample'", "search", "--option", "population=3,sample");
        assertMessage("--option: expected KEY=VALUE, got 'population='", "search", "--option", "population=");
    }

    @Test
    void weightSharingFlagsFillTheModeAndTheSupernetSettings() {
        CommandLine.Search s = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--controller",
                "reinforce", "--mode", "weight-sharing", "--supernet", "epochs=4,sampling=controller", "--supernet",
                "finalists=2"));
        assertEquals("weight-sharing", s.request().mode());
        assertEquals(4L, s.request().supernet().get("epochs"));
        assertEquals("controller", s.request().supernet().get("sampling"));
        assertEquals(2L, s.request().supernet().get("finalists"));
        assertEquals(java.util.OptionalLong.empty(), s.resume());
        assertMessage("--supernet epochs: must be between 1 and 1000, got 0", "search", "--mode",
                "weight-sharing", "--supernet", "epochs=0");
        assertMessage("--mode: darts searches by weight sharing only: use weight-sharing or leave mode out",
                "search", "--controller", "darts", "--mode", "standalone");
    }

    @Test
    void keptCheckpointsAreFiveUnlessToldAndNeverNegative() {
        assertEquals(5, assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search")).keepCheckpoints());
        assertEquals(0, assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--keep-checkpoints",
                "0")).keepCheckpoints());
        assertEquals(2, assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--resume", "3",
                "--keep-checkpoints=2")).keepCheckpoints());
        assertMessage("--keep-checkpoints: must be between 0 and " + Integer.MAX_VALUE + ", got -1", "search",
                "--keep-checkpoints", "-1");
        assertMessage("--keep-checkpoints: expected an integer, got 'all'", "search", "--keep-checkpoints", "all");
    }

    @Test
    void resumeTakesASearchIdAndNoOtherSettings() {
        CommandLine.Search s = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--resume", "7",
                "--out", "x.json"));
        assertEquals(java.util.OptionalLong.of(7), s.resume());
        assertMessage("--trials: a resumed search keeps the settings it was started with; give only "
                + "--resume, --out, --data-dir, --keep-checkpoints and --verbose", "search", "--resume", "7", "--trials",
                "3");
        assertMessage("--resume: a search id is a positive number, got 0", "search", "--resume", "0");
    }

    @Test
    void badSearchFlagsNameTheFlagAndTheReason() {
        assertMessage("--trials: expected an integer, got 'many'", "search", "--trials", "many");
        assertMessage("--trials: must be between 1 and", "search", "--trials", "0");
        assertMessage("unknown flag '--trails' for mode search", "search", "--trails", "3");
        assertMessage("--epochs: a value is required", "search", "--epochs");
        assertMessage("--seed: given more than once", "search", "--seed", "1", "--seed", "2");
        assertMessage("--seed: expected an integer, got '1.5'", "search", "--seed", "1.5");
        assertMessage("--space: unknown search space 'nasbench'", "search", "--space", "nasbench");
        assertMessage("--controller: unknown controller 'bayes'", "search", "--controller", "bayes");
        assertMessage("--val-size: trainSize + validationSize must not exceed", "search", "--train-size", "59000",
                "--val-size", "5000");
        assertMessage("--optimizer: unknown optimizer 'rmsprop'", "search", "--optimizer", "rmsprop");
        assertMessage("--lr: expected a number, got 'fast'", "search", "--lr", "fast");
        assertMessage("--lr: must be in (0, 10]", "search", "--lr", "-1");
        assertMessage("--augment: unknown augmentation 'mixup'", "search", "--augment", "mixup");
        assertMessage("--threads: must be between 0 and 1024", "search", "--threads", "-2");
        assertMessage("--dataset: expected 'fashion-mnist' or FORMAT:PATH", "search", "--dataset", "svhn:data");
        assertMessage("--split-seed: expected an integer, got 'x'", "search", "--split-seed", "x");
        assertMessage("--warm-start: must be between 0 and", "search", "--warm-start", "-1");
        assertMessage("--retrain-epochs: expected an integer, got 'all'", "search", "--retrain-epochs", "all");
        assertMessage("--retrain: unknown choice 'everything'", "search", "--retrain", "everything");
        assertMessage("--parallel: must be between 1 and 64", "search", "--parallel", "0");
        assertMessage("--early-stopping rule:", "search", "--early-stopping", "sometimes");
        assertMessage("--early-stopping minTrials:", "search", "--early-stopping", "median,minTrials=0");
        assertMessage("--early-stopping patience:", "search", "--early-stopping", "median,patience=3");
        assertMessage("--early-stopping: expected KEY=VALUE, got 'minTrials'", "search", "--early-stopping",
                "median,minTrials");
        assertMessage("--verbose: takes no value", "search", "--verbose=yes");
        assertMessage("--seed: 99999999999999999999 is too large for an integer (at most " + Long.MAX_VALUE + ")",
                "search", "--seed", "99999999999999999999");
        assertMessage("--trials: 3000000000 is too large for an integer (at most " + Integer.MAX_VALUE + ")",
                "search", "--trials", "3000000000");
        assertMessage("--split-seed: -99999999999999999999 is too small for an integer (at least " + Long.MIN_VALUE
                + ")", "search", "--split-seed", "-99999999999999999999");
        assertMessage("--early-stopping: expected RULE[,KEY=VALUE...]", "search", "--early-stopping", ",");
        assertMessage("--early-stopping: expected RULE[,KEY=VALUE...]", "search", "--early-stopping", " ,minEpochs=3");
        assertMessage("unexpected argument 'extra'", "search", "extra");
    }

    @Test
    void everyFlagErrorOfSearchPointsAtTheSearchUsage() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("search", "--trials", "0"));
        assertEquals("search", e.mode());
        assertNull(assertThrows(UsageException.class, () -> CommandLine.parse("serve")).mode());
    }

    @Test
    void describeTakesOneArchitectureAndItsFlags() {
        CommandLine.Describe d = assertInstanceOf(CommandLine.Describe.class, CommandLine.parse("describe", ARCH,
                "--channels", "8", "--cells", "2", "--classes", "5", "--input-channels", "3", "--image-size", "32",
                "--json"));
        assertEquals(new CommandLine.Describe(ARCH, 8, 2, 5, 3, 32, true), d);
        assertEquals(new CommandLine.Describe(ARCH, 16, 1, 10, 1, 28, false), CommandLine.parse("describe", ARCH));
        // Flags may come before the architecture.
        assertEquals(new CommandLine.Describe(ARCH, 4, 1, 10, 1, 28, false),
                CommandLine.parse("describe", "--channels=4", ARCH));

        assertMessage("an architecture is required", "describe");
        assertMessage("an architecture is required", "describe", "--channels", "8");
        assertMessage("one architecture expected (quote it for the shell), got 2 arguments", "describe",
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|", "avg_pool_3x3~1|");
        assertMessage("--channels: must be between 1 and 512, got 0", "describe", ARCH, "--channels", "0");
        assertMessage("--cells: expected an integer, got 'two'", "describe", ARCH, "--cells", "two");
        assertMessage("--classes: must be between 2 and", "describe", ARCH, "--classes", "1");
        assertMessage("--image-size: a value is required", "describe", ARCH, "--image-size");
        assertMessage("unknown flag '--trials' for mode describe", "describe", ARCH, "--trials", "3");
        assertMessage("--json: takes no value", "describe", ARCH, "--json=true");
    }

    @Test
    void serverAndModesWithoutFlags() {
        assertEquals(new CommandLine.Server(9090, Optional.of(Path.of("srv")), 0),
                CommandLine.parse("server", "--port", "9090", "--data-dir", "srv", "--workers", "0"));
        assertEquals(new CommandLine.Server(8080, Optional.empty(), 1), CommandLine.parse("server"));
        assertMessage("--workers: must be between 0 and 256", "server", "--workers", "-1");
        // A flag with a range of its own says it, also for a number no integer holds.
        assertMessage("--port: must be between 1 and 65535, got 99999999999", "server", "--port", "99999999999");
        assertEquals(new CommandLine.Worker(4), CommandLine.parse("worker", "--slots", "4"));
        assertMessage("--slots: must be between 1 and 256", "worker", "--slots", "0");
        assertMessage("unknown flag '--port' for mode worker", "worker", "--port", "1");
        assertMessage("--port: must be between 1 and 65535", "server", "--port", "70000");
        assertMessage("unknown flag '--trials' for mode bench; it takes none", "bench", "--trials", "2");
        assertMessage("unknown mode 'serve'", "serve");
        assertMessage("no mode given", new String[0]);
    }

    @Test
    void helpForAModeComesEitherWay() {
        assertEquals(new CommandLine.Help(Optional.of("search")), CommandLine.parse("search", "--help"));
        assertEquals(new CommandLine.Help(Optional.of("search")), CommandLine.parse("help", "search"));
        assertEquals(new CommandLine.Help(Optional.of("search")), CommandLine.parse("search", "--trials", "0", "-h"));
        assertEquals(new CommandLine.Help(Optional.of("describe")), CommandLine.parse("describe", "--help"));
        assertEquals(new CommandLine.Help(Optional.empty()), CommandLine.parse("help"));
        assertEquals(new CommandLine.Help(Optional.empty()), CommandLine.parse("--help"));
    }

    @Test
    void theSearchUsageShowsEveryFlagControllerAndRule() {
        String usage = CommandLine.usage("search");
        assertTrue(usage.startsWith("usage: cellforge search"), usage);
        for (String flag : CommandLine.SEARCH_FLAGS.keySet()) {
            assertTrue(usage.contains("  " + flag + " "), "search usage lacks " + flag);
        }
        for (String controller : org.cellforge.controller.Controllers.names()) {
            assertTrue(usage.contains("  " + controller + ": "), "search usage lacks controller " + controller);
        }
        for (String rule : org.cellforge.engine.stopping.EarlyStopping.RULES) {
            assertTrue(usage.contains("\n  " + rule + "\n"), "search usage lacks early-stopping rule " + rule);
        }
        assertTrue(usage.contains("minTrials"), usage);
    }

    @Test
    void theGeneralUsageListsEveryMode() {
        assertEquals(List.of("search", "describe", "verify", "server", "worker", "bench", "build", "test", "help"),
                CommandLine.MODES);
        String usage = CommandLine.usage();
        for (String mode : CommandLine.MODES) {
            assertTrue(usage.contains("\n  " + mode + " "), "general usage lacks mode " + mode);
            assertFalse(CommandLine.usage(mode).isBlank(), mode);
        }
    }

    @Test
    void aRecipeFileFillsTheRequestAndFlagsBesideItOverrideItsFields(@TempDir Path dir) throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.json"), """
                {"recipe": {"name": "small", "version": 2}, "controller": "nsga2",
                 "options": {"population": 12, "maxParameters": 100000}, "trials": 30, "channels": 8,
                 "retraining": {"data": "all"}}
                """);
        SearchRequest r = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--recipe",
                recipe.toString(), "--trials", "3", "--option", "maxParameters=15000", "--retraining",
                "augmentation=crop-flip")).request();
        assertEquals(3, r.trials());
        assertEquals(8, r.channels(), "a field no flag sets stays the recipe's");
        assertEquals("nsga2", r.controller());
        assertEquals(15_000L, r.options().get("maxParameters"));
        assertEquals(12L, r.options().get("population"));
        assertEquals(Map.of("data", "all", "augmentation", "crop-flip", "testTimeAugmentation", "none"),
                r.retraining(), "the recipe's data, the flag's augmentation and the defaults");
        assertEquals("small@2", r.recipeLabel());
    }

    @Test
    void laterErrorsNameTheRecipeOrTheFlagThatSetTheField(@TempDir Path dir) throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.json"), """
                {"recipe": {"name": "data", "version": 1}, "dataset": "idx:/nowhere"}
                """);
        CommandLine.Search fromFile = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search",
                "--recipe", recipe.toString()));
        assertEquals("--recipe " + recipe + ": dataset", fromFile.names().of("dataset"));
        CommandLine.Search overridden = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search",
                "--recipe", recipe.toString(), "--dataset", "idx:/elsewhere"));
        assertEquals("--dataset", overridden.names().of("dataset"));
        assertEquals("--dataset", assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search"))
                .names().of("dataset"));
    }

    @Test
    void aFlagMissingItsValueIsNamedInsteadOfTakingTheNextFlagAsItsValue() {
        assertMessage("--epochs: a value is required, got the flag --trials", "search", "--epochs", "--trials", "5");
        // Before, this wrote the exports to a file named --verbose.
        assertMessage("--out: a value is required, got the flag --verbose", "search", "--out", "--verbose");
        assertMessage("--data-dir: a value is required, got the flag --port", "server", "--data-dir", "--port", "80");
        assertMessage("--image-size: a value is required, got the flag --json", "describe", ARCH, "--image-size",
                "--json");
        // A value that does start with -- is still given with '='.
        CommandLine.Search s = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search",
                "--out=--odd.json"));
        assertEquals(Path.of("--odd.json"), s.out());
    }

    @Test
    void badRecipeFilesNameTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("none.json");
        assertMessage("--recipe " + missing + ": no such file", "search", "--recipe", missing.toString());
        assertMessage("--recipe " + dir + ": cannot be read: is a directory", "search", "--recipe", dir.toString());
        assertMessage(": body: not valid JSON at line 1, column", "search", "--recipe",
                Files.writeString(dir.resolve("a.json"), "{\"trials\": 3,}").toString());
        assertMessage(": trails: unknown field", "search", "--recipe",
                Files.writeString(dir.resolve("b.json"), "{\"trails\": 3}").toString());
        assertMessage(": epochs: expected a whole number, got text 'three'", "search", "--recipe",
                Files.writeString(dir.resolve("c.json"), "{\"epochs\": \"three\"}").toString());
        assertMessage(": recipe: a recipe file names itself", "search", "--recipe",
                Files.writeString(dir.resolve("d.json"), "{\"trials\": 3}").toString());
        Path badValue = Files.writeString(dir.resolve("e.json"),
                "{\"recipe\": {\"name\": \"e\", \"version\": 1}, \"retraining\": {\"data\": \"test\"}}");
        assertMessage("--recipe " + badValue + ": retraining.data: must be one of", "search", "--recipe",
                badValue.toString());
        // A value a flag set is reported as the flag's; another key of the same flag leaves the blame with the file.
        assertMessage("--retraining data: must be one of", "search", "--recipe", badValue.toString(), "--retraining",
                "data=everything");
        assertMessage("--recipe " + badValue + ": retraining.data: must be one of", "search", "--recipe",
                badValue.toString(), "--retraining", "augmentation=crop-flip");
        Path badVersion = Files.writeString(dir.resolve("g.json"), "{\"recipe\": {\"name\": \"g\", \"version\": 0}}");
        assertMessage("--recipe " + badVersion + ": recipe.version:", "search", "--recipe", badVersion.toString());
        assertMessage(": not UTF-8 text", "search", "--recipe",
                Files.write(dir.resolve("f.json"), new byte[] {'{', (byte) 0xff, '}'}).toString());
    }

    @Test
    void theRecipesInTheRepositoryAreValidAndTheBaselineDiffersOnlyInItsStrategy() throws IOException {
        Path recipes = Path.of("..", "recipes");
        SearchRequest flagship = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--recipe",
                recipes.resolve("fmnist-under-100k.json").toString())).request();
        SearchRequest baseline = assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--recipe",
                recipes.resolve("fmnist-under-100k-random.json").toString())).request();
        assertEquals(100_000L, flagship.options().get("maxParameters"));
        assertEquals(100_000L, baseline.options().get("maxParameters"), "the baseline searches under the same limit");
        assertTrue(flagship.retrainingSettings().allImages());
        assertEquals("random", baseline.controller());
        SearchRequest.Builder same = baseline.toBuilder().controller(flagship.controller()).options(flagship.options())
                .warmStart(flagship.warmStart()).recipe(flagship.recipe());
        assertEquals(flagship, same.build(), "apart from the strategy, its warm start and its name, the baseline is "
                + "the flagship");
        try (var files = Files.list(recipes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                assertInstanceOf(CommandLine.Search.class, CommandLine.parse("search", "--recipe", f.toString()), f
                        .toString());
            }
        }
    }

    @Test
    void verifyTakesOneOnnxFile() {
        assertEquals(new CommandLine.Verify(Path.of("m.onnx"), Optional.empty()), CommandLine.parse("verify",
                "m.onnx"));
        assertEquals(new CommandLine.Verify(Path.of("m.onnx"), Optional.of("idx:dir")), CommandLine.parse("verify",
                "m.onnx", "--dataset", "idx:dir"));
        assertMessage("an ONNX file is required", "verify");
        assertMessage("unknown flag '--trials' for mode verify", "verify", "m.onnx", "--trials", "1");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
