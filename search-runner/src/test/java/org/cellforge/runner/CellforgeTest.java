package org.cellforge.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.SearchEvent;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.StoredSearch;
import org.cellforge.engine.StoredTrial;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.TrialStatus;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.evaluator.export.OnnxExport;
import org.cellforge.evaluator.export.PyTorchExport;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.Json;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches run for real: ND4J training on a small Fashion-MNIST split, results in a throwaway
 * PostgreSQL, exports read back by the libraries their users would use.
 */
class CellforgeTest {

    private static EmbeddedDatabase server;
    private static Database db;
    private static Datasets datasets;
    private static Cellforge cellforge;

    /** The NAS-Bench-201 search the export tests read, with the events it published. */
    private static long nb201;
    private static final List<SearchEvent> NB201_EVENTS = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        server = EmbeddedDatabase.startTemporary();
        db = Database.connect(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        datasets = Datasets.fromEnvironment();
        cellforge = Cellforge.of(db, datasets, SearchListener.none());
        nb201 = cellforge.submit(tiny().trials(2).build());
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(nb201, NB201_EVENTS::add));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A search small enough to train in seconds: one epoch of narrow networks on 600 images. */
    private static SearchRequest.Builder tiny() {
        return SearchRequest.builder().space("nas-bench-201").controller("random").seed(3L).epochs(1).channels(4)
                .trainSize(600).validationSize(200).batchSize(50);
    }

    private static <T> T query(Function<SearchRepository, T> q) {
        return db.call(em -> q.apply(new SearchRepository(em)));
    }

    private static long searches() {
        return db.call(em -> em.createQuery("select count(s) from SearchEntity s", Long.class).getSingleResult());
    }

    private static RetrainEntity onlyRetrain(long searchId) {
        List<RetrainEntity> retrains = query(r -> r.retrains(searchId));
        assertEquals(1, retrains.size(), "one final retraining: the best trial");
        return retrains.get(0);
    }

    @Test
    void aRandomNb201SearchStoresItsTrialsAndItsFinalRetraining() {
        StoredSearch s = cellforge.store().load(nb201);
        assertEquals(SearchStatus.SUCCEEDED, s.status());
        assertEquals(2, s.trials().size());
        assertTrue(s.controllerState().isPresent());
        for (StoredTrial t : s.trials()) {
            assertEquals(TrialStatus.SUCCEEDED, t.status(), t.toString());
            double accuracy = t.validationAccuracy();
            assertTrue(accuracy >= 0 && accuracy <= 1, "stand-alone validation accuracy " + accuracy);
            assertEquals(List.of(accuracy), t.curve(), "one epoch, measured after it");
            assertNotNull(t.canonical());
            assertEquals(Nb201Space.standard().canonical(Nb201Space.standard().parse(t.arch())).hash(), t.canonical());
            assertTrue(t.cost().parameters() > 0 && t.cost().flops() > 0, t.cost().toString());
            assertTrue(query(r -> r.checkpoint(t.id())).isPresent(), "trial " + t.number() + " keeps its network");
        }
        assertNotEquals(s.trials().get(0).canonical(), s.trials().get(1).canonical(), "two different functions");

        SearchEntity e = query(r -> r.find(nb201).orElseThrow());
        assertNull(e.error);
        assertNotNull(e.startedAt);
        assertNotNull(e.finishedAt);
        assertEquals(1, e.inputChannels);
        assertEquals(28, e.imageHeight);
        assertEquals(28, e.imageWidth);
        assertEquals(10, e.classes);
        assertTrue(e.datasetFingerprint.startsWith("60000 images 1x28x28, 10 classes, sha256 "), e.datasetFingerprint);

        int best = query(r -> r.best(nb201).orElseThrow().number);
        RetrainEntity retrain = onlyRetrain(nb201);
        assertEquals(best, retrain.trialNumber);
        assertEquals(TrialStatus.SUCCEEDED, retrain.status);
        assertTrue(retrain.testAccuracy >= 0 && retrain.testAccuracy <= 1, "retrained test accuracy "
                + retrain.testAccuracy);
        assertEquals(800, retrain.trainImages, "retrained on train+validation");
        assertEquals(10_000, retrain.testImages);
        assertEquals(1, retrain.epochs);
        assertTrue(query(r -> r.retrainCheckpoint(retrain.id)).isPresent());

        assertEquals(2, NB201_EVENTS.stream().filter(ev -> ev instanceof SearchEvent.TrialFinished).count());
        assertEquals(1, NB201_EVENTS.stream().filter(ev -> ev instanceof SearchEvent.RetrainFinished).count());
        assertEquals(new SearchEvent.Finished(nb201, SearchStatus.SUCCEEDED, null), NB201_EVENTS.getLast());
    }

    @Test
    void theJsonExportReadsBackAndCarriesResultsWithTheirKinds() {
        Exports exports = cellforge.exports();
        int best = exports.bestTrial(nb201);
        Exports.File file = exports.trial(nb201, best, Exports.Format.JSON);
        assertEquals("application/json", file.mediaType());
        assertEquals("search-" + nb201 + "-trial-" + best + ".json", file.name());
        String json = new String(file.bytes(), StandardCharsets.UTF_8);

        Nb201Space space = Nb201Space.standard();
        StoredTrial trial = cellforge.store().load(nb201).trials().get(best - 1);
        assertEquals(space.parse(trial.arch()), space.fromJson(json));

        Map<?, ?> doc = (Map<?, ?>) Json.parse(json);
        Map<?, ?> results = (Map<?, ?>) doc.get("results");
        Map<?, ?> validation = (Map<?, ?>) results.get("validation");
        assertEquals("stand-alone validation", validation.get("kind"));
        assertEquals(trial.validationAccuracy(), ((Number) validation.get("accuracy")).doubleValue());
        assertEquals(200, ((Number) validation.get("images")).intValue());
        Map<?, ?> test = (Map<?, ?>) results.get("test");
        assertEquals("retrained test", test.get("kind"));
        assertEquals(onlyRetrain(nb201).testAccuracy, ((Number) test.get("accuracy")).doubleValue());
        assertEquals(10_000, ((Number) test.get("images")).intValue());
        Map<?, ?> provenance = (Map<?, ?>) doc.get("provenance");
        assertEquals("retrained on train+validation", provenance.get("weights"));
        assertEquals(trial.canonical(), provenance.get("canonical"));
        assertEquals(Map.of("channels", 4, "cellsPerStage", 1, "inputChannels", 1, "classes", 10),
                doc.get("macro"));
    }

    @Test
    void theOnnxExportScoresTheStoredRetrainedTestAccuracyInOnnxRuntime() {
        Exports.File file = cellforge.exports().trial(nb201, cellforge.exports().bestTrial(nb201),
                Exports.Format.ONNX);
        Path dir = Optional.ofNullable(System.getenv(Datasets.FASHION_MNIST_DIRECTORY)).map(Path::of)
                .or(FashionMnist::installedDirectory).orElseThrow();
        ImageSet test = FashionMnist.test(dir);
        RetrainEntity retrain = onlyRetrain(nb201);

        OnnxCheck.Result check = OnnxCheck.check(file.bytes(), test);
        assertEquals(test.size(), check.images());
        assertEquals(retrain.testAccuracy, check.recorded().orElseThrow(), 1e-12,
                "the file records the stored retrained test accuracy");
        double accuracy = check.accuracy();
        assertEquals(retrain.testAccuracy, accuracy, 0.001, "retrained test accuracy in ONNX Runtime against the "
                + "stored one");
    }

    @Test
    void thePyTorchExportHoldsTheModuleAndItsWeights() throws IOException {
        Exports.File file = cellforge.exports().trial(nb201, cellforge.exports().bestTrial(nb201),
                Exports.Format.PYTORCH);
        assertEquals("application/zip", file.mediaType());
        assertTrue(file.name().endsWith("-pytorch.zip"), file.name());
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file.bytes()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertEquals(Set.of(PyTorchExport.MODEL_FILE, PyTorchExport.WEIGHTS_FILE), entries.keySet());
        assertTrue(new String(entries.get(PyTorchExport.MODEL_FILE), StandardCharsets.UTF_8).contains("def load_model"));
        // A 4-channel network's float32 weights, and the safetensors header in front of them.
        // Every parameter as float32, and BatchNorm statistics and the safetensors header besides.
        assertTrue(entries.get(PyTorchExport.WEIGHTS_FILE).length > 4 * onlyRetrain(nb201).parameters,
                "the weights of the retrained network");
    }

    @Test
    void aDartsSearchRunsToo() {
        long id = cellforge.submit(tiny().space("darts").trials(2).trainSize(200).validationSize(100)
                .retrainEpochs(0).build());
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(id, SearchListener.none()));
        StoredSearch s = cellforge.store().load(id);
        assertEquals(2, s.trials().size());
        DartsSpace space = DartsSpace.standard();
        for (StoredTrial t : s.trials()) {
            assertEquals(TrialStatus.SUCCEEDED, t.status(), t.toString());
            assertTrue(t.arch().startsWith("Genotype("), t.arch());
            assertTrue(space.contains(space.parse(t.arch())));
        }
        assertTrue(query(r -> r.retrains(id)).isEmpty(), "no final retraining was asked for");
        int best = cellforge.exports().bestTrial(id);
        String json = new String(cellforge.exports().trial(id, best, Exports.Format.JSON).bytes(),
                StandardCharsets.UTF_8);
        assertEquals(space.parse(s.trials().get(best - 1).arch()), space.fromJson(json));
        Map<?, ?> weights = (Map<?, ?>) Json.parse(json);
        assertEquals("trial training", ((Map<?, ?>) weights.get("provenance")).get("weights"));
    }

    @Test
    void parallelTrialsAreAllStored() {
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        long id = cellforge.submit(tiny().trials(4).parallelTrials(2).trainSize(200).validationSize(100)
                .retrainEpochs(0).build());
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(id, e -> {
            if (e instanceof SearchEvent.TrialFinished t) {
                finished.add(t.number());
            }
        }));
        StoredSearch s = cellforge.store().load(id);
        assertEquals(List.of(1, 2, 3, 4), s.trials().stream().map(StoredTrial::number).toList());
        assertEquals(4, s.trials().stream().map(StoredTrial::canonical).distinct().count());
        for (StoredTrial t : s.trials()) {
            assertEquals(TrialStatus.SUCCEEDED, t.status(), t.toString());
            assertEquals(1, t.curve().size());
            assertTrue(query(r -> r.checkpoint(t.id())).isPresent());
        }
        assertEquals(List.of(1, 2, 3, 4), finished.stream().sorted().toList());
    }

    @Test
    void anEndedSearchHasItsTrialCheckpointsPrunedAndKeepsItsRetrainedNetwork() {
        long id = cellforge.submit(tiny().trials(3).trainSize(200).validationSize(100).retrainEpochs(1).build());
        // Keeping none: which ones a positive number keeps is JpaSearchStoreTest's.
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(id, CheckpointRetention.keepBest(db, 0)));
        assertEquals(3, cellforge.store().load(id).trials().size());
        assertEquals(Map.of(), query(r -> r.checkpointSizes(id, null)));
        // The retrained network is what the search delivers; it has its own checkpoint and stays.
        assertTrue(query(r -> r.retrainCheckpoint(onlyRetrain(id).id)).isPresent());
    }

    @Test
    void aThreadSettingDoesNotLeakIntoTheNextSearch() {
        // The default is what a training with threads 0 reports on its own thread, not what this thread
        // reports: OpenMP keeps the count per thread, and ND4J sets it only on the thread it was loaded on.
        List<Integer> defaults = threadsSeenInTraining(0);
        assertEquals(1, defaults.size());
        // A count that differs from the default, so that seeing it proves the setting was applied.
        int chosen = defaults.get(0) == 1 ? 2 : 1;
        assertEquals(List.of(chosen), threadsSeenInTraining(chosen));
        assertEquals(defaults, threadsSeenInTraining(0), "the next search with the default setting");
    }

    /** The native thread count each epoch of a one-trial search saw, read on its training thread. */
    private static List<Integer> threadsSeenInTraining(int threads) {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        long id = cellforge.submit(tiny().trials(1).threads(threads).trainSize(200).validationSize(100)
                .retrainEpochs(0).build());
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(id, e -> {
            if (e instanceof SearchEvent.Epoch) {
                seen.add(Trainer.threads());
            }
        }));
        return List.copyOf(seen);
    }

    @Test
    void invalidRequestsNameTheFieldAndStoreNothing(@TempDir Path dir) throws IOException {
        long before = searches();

        InvalidRequestException tooLarge = assertThrows(InvalidRequestException.class,
                () -> cellforge.submit(tiny().trainSize(59_900).validationSize(200).build()));
        assertEquals("validationSize", tooLarge.violations().get(0).field());
        assertTrue(tooLarge.getMessage().contains("60000"), tooLarge.getMessage());

        Path missing = dir.resolve("missing");
        InvalidRequestException noFolder = assertThrows(InvalidRequestException.class,
                () -> cellforge.submit(tiny().dataset("folder:" + missing).build()));
        assertEquals("dataset", noFolder.violations().get(0).field());
        assertTrue(noFolder.getMessage().contains(missing.toString()), noFolder.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        InvalidRequestException noFiles = assertThrows(InvalidRequestException.class,
                () -> cellforge.submit(tiny().dataset("idx:" + empty).build()));
        assertEquals("dataset", noFiles.violations().get(0).field());

        InvalidRequestException badEpochs = assertThrows(InvalidRequestException.class,
                () -> cellforge.submit(tiny().epochs(0).build()));
        assertEquals("epochs", badEpochs.violations().get(0).field());

        InvalidRequestException none = assertThrows(InvalidRequestException.class, () -> cellforge.submit(null));
        assertEquals("body", none.violations().get(0).field());

        assertEquals(before, searches(), "a refused request is not stored");
    }

    /**
     * Searches stored before the image shape was recorded export their document with the shape
     * read off the data.
     */
    @Test
    void anOldSearchWithoutTheImageShapeStillExports() {
        SearchRequest r = tiny().trials(1).build().normalized();
        long id = cellforge.store().create(r, new DatasetInfo(1, 28, 28, 10, "unused"));
        db.run(em -> {
            SearchEntity s = new SearchRepository(em).find(id).orElseThrow();
            s.inputChannels = null;
            s.imageHeight = null;
            s.imageWidth = null;
            s.classes = null;
        });
        String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|";
        Nb201Space space = Nb201Space.standard();
        cellforge.store().started(id);
        ControllerState state = new ControllerState("random", 1, Map.of());
        long trial = cellforge.store().trialStarted(id, 1, arch, space.canonical(space.parse(arch)).hash(),
                new Cost(1, 1), state);
        cellforge.store().trialFinished(trial, new TrialResult(TrialStatus.SUCCEEDED, 0.5, 1, 1.0, Optional.empty(),
                Optional.of(new byte[] {1})), state);
        cellforge.store().finished(id, SearchStatus.SUCCEEDED, null);

        Map<?, ?> doc = (Map<?, ?>) Json.parse(new String(cellforge.exports().trial(id, 1, Exports.Format.JSON).bytes(),
                StandardCharsets.UTF_8));
        assertEquals(Map.of("channels", 4, "cellsPerStage", 1, "inputChannels", 1, "classes", 10), doc.get("macro"));
        assertEquals("trial training", ((Map<?, ?>) doc.get("provenance")).get("weights"));
        assertArrayEquals(new byte[] {1}, cellforge.exports().trial(id, 1, Exports.Format.ONNX).bytes());
    }
}
