package org.cellforge.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.engine.ConflictException;
import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.EpochRecord;
import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.RetrainResult;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.SearchStore;
import org.cellforge.engine.StoredSearch;
import org.cellforge.engine.StoredTrial;
import org.cellforge.engine.TrialResult;
import org.cellforge.engine.TrialStatus;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's store against a real PostgreSQL, schema by the application's own migrations. */
class JpaSearchStoreTest {

    private static final String ARCH_1 =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|";
    private static final String ARCH_2 =
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|";
    private static final String ARCH_3 =
            "|skip_connect~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|skip_connect~2|";
    private static final DatasetInfo DATASET = new DatasetInfo(1, 28, 28, 10, "60000 images 1x28x28, 10 classes");

    private static EmbeddedDatabase server;
    private static Database db;
    private static JpaSearchStore store;

    @BeforeAll
    static void start() {
        server = EmbeddedDatabase.startTemporary();
        db = Database.connect(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        store = new JpaSearchStore(db);
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

    /** A small valid request on the default space and controller. */
    private static SearchRequest request() {
        return SearchRequest.builder().trials(3).epochs(2).channels(4).trainSize(100).validationSize(50).build()
                .normalized();
    }

    private static ControllerState state(String... proposed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("proposed", List.of(proposed));
        s.put("draws", proposed.length);
        s.put("warm", false);
        return new ControllerState("random", 1, s);
    }

    private static SearchEntity entity(long id) {
        return db.call(em -> new SearchRepository(em).find(id).orElseThrow());
    }

    @Test
    void aNormalizedRequestComesBackAsItWasStored() {
        SearchRequest normalized = SearchRequest.builder().space("darts").controller("random").trials(7).epochs(3)
                .seed(11L).channels(8).cellsPerStage(2).batchSize(64).trainSize(1_000).validationSize(500)
                .dataset("cifar10:datasets/cifar-10-batches-bin").optimizer("adam").learningRate(0.002)
                .augmentation("crop-flip").threads(3).splitSeed(5L).warmStart(4)
                .earlyStopping(Map.of("rule", "median", "minTrials", 2)).retrainEpochs(2).retrain("front")
                .parallelTrials(2).retraining(Map.of("data", "all", "learningRate", 0.1, "augmentation", "crop-flip"))
                .recipe(Map.of("name", "small-darts", "version", 2, "description", "kept in a file")).build()
                .normalized();
        // The values another controller's validation produces
        // (whole numbers as Long, real numbers as Double, choices as String) are put in directly: the
        // store keeps whatever options a search was validated with, without interpreting them.
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("population", 8L);
        options.put("mutationRate", 0.25);
        options.put("objective", "flops");
        SearchRequest request = normalized.toBuilder().options(options).build();

        long id = store.create(request, DATASET);
        StoredSearch loaded = store.load(id);

        assertEquals(id, loaded.id());
        assertEquals(SearchStatus.QUEUED, loaded.status());
        assertTrue(loaded.trials().isEmpty());
        assertTrue(loaded.controllerState().isEmpty());
        SearchRequest back = loaded.request();
        // JSON reads small whole numbers back as Integer where normalization made Long: what matters is
        // that normalizing again gives the request that was stored.
        assertEquals(normalized.toBuilder().options(Map.of()).build(),
                back.toBuilder().options(null).build().normalized());
        assertEquals(List.copyOf(options.keySet()), List.copyOf(back.options().keySet()));
        assertEquals(8L, ((Number) back.options().get("population")).longValue());
        assertEquals(0.25, ((Number) back.options().get("mutationRate")).doubleValue());
        assertEquals("flops", back.options().get("objective"));
        assertEquals(2L, ((Number) back.earlyStopping().get("minTrials")).longValue());
        assertEquals("small-darts@2", back.recipeLabel());
        assertTrue(back.retrainingSettings().allImages());
        assertEquals(0.1, back.retrainingSettings().learningRate().orElseThrow());

        SearchEntity s = entity(id);
        assertEquals(DATASET.channels(), s.inputChannels);
        assertEquals(DATASET.height(), s.imageHeight);
        assertEquals(DATASET.width(), s.imageWidth);
        assertEquals(DATASET.classes(), s.classes);
        assertEquals(DATASET.fingerprint(), s.datasetFingerprint);
        assertNotNull(s.createdAt);
        assertNull(s.startedAt);
    }

    @Test
    void onlyAQueuedSearchCanStart() {
        long id = store.create(request(), DATASET);
        store.started(id);
        assertEquals(SearchStatus.RUNNING, store.load(id).status());
        assertNotNull(entity(id).startedAt);

        ConflictException again = assertThrows(ConflictException.class, () -> store.started(id));
        assertTrue(again.getMessage().contains("RUNNING"), again.getMessage());

        store.finished(id, SearchStatus.SUCCEEDED, null);
        ConflictException ended = assertThrows(ConflictException.class, () -> store.started(id));
        assertTrue(ended.getMessage().contains("SUCCEEDED"), ended.getMessage());
        assertEquals(SearchStatus.SUCCEEDED, store.load(id).status());

        // Paused, or cancelled, while queued, just as a coordinator takes it up: that stands, and it is
        // answered, not thrown, so that the coordinator stops without failing it.
        long paused = store.create(request(), DATASET);
        store.paused(paused);
        assertEquals(SearchStatus.PAUSED, store.started(paused));
        assertEquals(SearchStatus.PAUSED, store.status(paused));
        assertNull(entity(paused).startedAt);
        long cancelled = store.create(request(), DATASET);
        store.cancelled(cancelled);
        assertEquals(SearchStatus.INTERRUPTED, store.started(cancelled));
        assertEquals(SearchStatus.INTERRUPTED, store.status(cancelled));
    }

    @Test
    void workersClaimTrialsAgainAfterAStopAndAResultIsStoredOnceThenToldOnce() {
        long id = store.create(request(), DATASET);
        store.started(id);
        long t1 = store.trialStarted(id, 1, ARCH_1, "hash-one", new Cost(1, 2), state(ARCH_1));
        store.trialRepeated(t1, ARCH_2, state(ARCH_1, ARCH_2));
        assertEquals(List.of(ARCH_2), store.untold(id).get(0).repeats(), "a repeat waits for the trial's result");
        assertEquals(Optional.of(state(ARCH_1, ARCH_2)), store.load(id).controllerState());

        SearchStore.TrialClaim first = store.claimTrial(t1, "host/1").orElseThrow();
        assertEquals(1, first.attempt());
        store.epochFinished(t1, new EpochRecord(1, 1.0, 0.5, 0.25, 1.0, 10.0));
        assertEquals(List.of(0.25), store.untold(id).get(0).curve());
        assertEquals(10.0, store.untold(id).get(0).imagesPerSecond());
        // The worker stopped; the job engine delivers the trial again, and the half-trained attempt is forgotten.
        SearchStore.TrialClaim second = store.claimTrial(t1, "host/2").orElseThrow();
        assertEquals(2, second.attempt());
        assertEquals(List.of(), store.untold(id).get(0).curve());

        TrialResult result = new TrialResult(TrialStatus.SUCCEEDED, 0.5, 1, 2.0, Optional.empty(), Optional.empty());
        assertTrue(store.trialFinished(t1, result, null));
        assertFalse(store.trialFinished(t1, TrialResult.failed("late duplicate", 0, 0), null),
                "a second delivery's result is refused");
        assertTrue(store.claimTrial(t1, "host/3").isEmpty(), "an ended trial is not trained again");
        StoredTrial untold = store.untold(id).get(0);
        assertEquals(TrialStatus.SUCCEEDED, untold.status());
        assertFalse(untold.told());

        store.trialTold(t1, state(ARCH_1, ARCH_2, ARCH_3));
        assertEquals(List.of(), store.untold(id));
        assertEquals(Optional.of(state(ARCH_1, ARCH_2, ARCH_3)), store.load(id).controllerState());
    }

    @Test
    void pauseResumeAndCancelMoveOnlyFromTheirStatesAndAResumedSearchTrainsAgainWhatTheStopCutShort() {
        long reserved = store.createReserved(request(), DATASET, java.time.Duration.ofMinutes(1));
        long id = store.create(request(), DATASET);
        assertEquals(List.of(id), store.live(), "a search reserved by the process that made it is left to it");

        store.paused(id);
        assertEquals(SearchStatus.PAUSED, store.status(id));
        ConflictException twice = assertThrows(ConflictException.class, () -> store.paused(id));
        assertTrue(twice.getMessage().contains("PAUSED"), twice.getMessage());
        store.unpaused(id);
        assertEquals(SearchStatus.QUEUED, store.status(id), "it had not started");
        assertThrows(ConflictException.class, () -> store.unpaused(id));

        store.started(id);
        long t1 = store.trialStarted(id, 1, ARCH_1, "hash-one", new Cost(1, 2), state(ARCH_1));
        long t2 = store.trialStarted(id, 2, ARCH_2, "hash-two", new Cost(1, 2), state(ARCH_1, ARCH_2));
        store.trialFinished(t1, new TrialResult(TrialStatus.SUCCEEDED, 0.5, 1, 2.0, Optional.empty(),
                Optional.empty()), state(ARCH_1, ARCH_2));
        // Paused as its coordinator turns to the retraining or the end: the pause holds, nothing is ended.
        store.paused(id);
        assertEquals(SearchStatus.PAUSED, store.retraining(id));
        assertEquals(SearchStatus.PAUSED, store.finished(id, SearchStatus.SUCCEEDED, null));
        assertEquals(SearchStatus.PAUSED, store.status(id));
        assertEquals(TrialStatus.RUNNING, store.load(id).trials().get(1).status(), "trial 2 is not ended either");
        store.unpaused(id);
        assertEquals(SearchStatus.RUNNING, store.status(id));
        store.cancelled(id);
        assertEquals(SearchStatus.INTERRUPTED, store.status(id));
        assertEquals(SearchStatus.INTERRUPTED, store.retraining(id), "a cancellation holds too");
        assertEquals(SearchStore.CANCELLED, store.untold(id).get(0).failure().orElseThrow());
        assertThrows(ConflictException.class, () -> store.cancelled(id));
        assertThrows(ConflictException.class, () -> store.paused(id));
        assertTrue(store.claimTrial(t2, "host/1").isEmpty(), "a cancelled search's trials are not trained");

        assertEquals(List.of(t2), store.resumedFromSnapshot(id));
        assertEquals(SearchStatus.RUNNING, store.status(id));
        assertEquals(TrialStatus.RUNNING, store.untold(id).get(0).status());
        assertEquals(TrialStatus.SUCCEEDED, store.load(id).trials().get(0).status(), "what ended stays");
        assertEquals(List.of(id), store.live());
        assertEquals(SearchStatus.QUEUED, store.status(reserved));
    }

    @Test
    void trialsKeepTheirEpochsResultsCheckpointsAndTheControllerStateThatSawThem() {
        long id = store.create(request(), DATASET);
        store.started(id);
        Cost cost1 = new Cost(12_345, 678_901);
        ControllerState proposed = state(ARCH_1);
        long t1 = store.trialStarted(id, 1, ARCH_1, "hash-one", cost1, proposed);

        StoredTrial running = store.load(id).trials().get(0);
        assertEquals(new StoredTrial(t1, 1, ARCH_1, "hash-one", TrialStatus.RUNNING, null, cost1, List.of()), running);
        assertEquals(Optional.of(proposed), store.load(id).controllerState());

        EpochRecord e1 = new EpochRecord(1, 1.75, 0.375, 0.5, 2.5, 400.0);
        EpochRecord e2 = new EpochRecord(2, 1.25, 0.625, 0.6875, 2.25, 450.0);
        store.epochFinished(t1, e1);
        store.epochFinished(t1, e2);
        byte[] model = {8, 1, 18, 4, 'o', 'n', 'n', 'x', 0, -1};
        ControllerState told = state(ARCH_1, ARCH_2);
        store.trialFinished(t1, new TrialResult(TrialStatus.SUCCEEDED, 0.6875, 2, 4.75, Optional.empty(),
                Optional.of(model)), told);
        assertEquals(Optional.of(told), store.load(id).controllerState(), "stored with the result it was told");

        long t2 = store.trialStarted(id, 2, ARCH_2, "hash-two", new Cost(10, 20), told);
        store.trialFinished(t2, TrialResult.failed("loss diverged to NaN at epoch 1, step 3", 0, 0.5), told);

        long t3 = store.trialStarted(id, 3, ARCH_3, "hash-three", new Cost(30, 40), told);
        store.epochFinished(t3, new EpochRecord(1, 2.0, 0.25, 0.125, 1.0, 300.0));
        ControllerState last = state(ARCH_1, ARCH_2, ARCH_3);
        store.trialFinished(t3, new TrialResult(TrialStatus.STOPPED, 0.125, 1, 1.5, Optional.empty(),
                Optional.of(new byte[] {1, 2, 3})), last);

        StoredSearch loaded = store.load(id);
        assertEquals(Optional.of(last), loaded.controllerState());
        assertEquals(List.of(1, 2, 3), loaded.trials().stream().map(StoredTrial::number).toList());
        assertEquals(new StoredTrial(t1, 1, ARCH_1, "hash-one", TrialStatus.SUCCEEDED, 0.6875, cost1,
                List.of(0.5, 0.6875), Optional.empty(), 4.75, true, List.of(), 425.0), loaded.trials().get(0),
                "its throughput the median of its epochs' 400 and 450 images per second");
        assertEquals(new StoredTrial(t2, 2, ARCH_2, "hash-two", TrialStatus.FAILED, null, new Cost(10, 20), List.of(),
                Optional.of("loss diverged to NaN at epoch 1, step 3"), 0.5, true, List.of(), Double.NaN), loaded.trials().get(1));
        assertEquals(new StoredTrial(t3, 3, ARCH_3, "hash-three", TrialStatus.STOPPED, 0.125, new Cost(30, 40),
                List.of(0.125), Optional.empty(), 1.5, true, List.of(), 300.0), loaded.trials().get(2));

        db.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            List<TrialEpochEntity> epochs = repo.epochs(id).stream().filter(e -> e.trialId == t1).toList();
            assertEquals(List.of(e1, e2), epochs.stream().map(e -> new EpochRecord(e.epoch, e.trainLoss,
                    e.trainAccuracy, e.validationAccuracy, e.seconds, e.imagesPerSecond)).toList());

            TrialEntity first = repo.findTrial(t1).orElseThrow();
            assertEquals(2, first.epochs);
            assertEquals(4.75, first.seconds);
            assertNull(first.failure);
            assertNotNull(first.finishedAt);
            TrialCheckpointEntity checkpoint = repo.checkpoint(t1).orElseThrow();
            assertEquals("onnx", checkpoint.format);
            assertArrayEquals(model, checkpoint.model);

            TrialEntity failed = repo.findTrial(t2).orElseThrow();
            assertEquals("loss diverged to NaN at epoch 1, step 3", failed.failure);
            assertTrue(repo.checkpoint(t2).isEmpty(), "a failed trial has no trained network");

            assertArrayEquals(new byte[] {1, 2, 3}, repo.checkpoint(t3).orElseThrow().model);
            assertEquals(1, repo.findTrial(t3).orElseThrow().epochs);
        });
    }

    @Test
    void finishingASearchFailsWhatStillRunsWithTheReason() {
        long id = store.create(request(), DATASET);
        store.started(id);
        long done = store.trialStarted(id, 1, ARCH_1, "hash-one", new Cost(1, 2), state(ARCH_1));
        store.trialFinished(done, new TrialResult(TrialStatus.SUCCEEDED, 0.5, 2, 1.0, Optional.empty(),
                Optional.empty()), state(ARCH_1));
        store.trialStarted(id, 2, ARCH_2, "hash-two", new Cost(3, 4), state(ARCH_1, ARCH_2));
        store.retraining(id);
        assertEquals(SearchStatus.RETRAINING, store.load(id).status());
        long retrain = store.retrainStarted(id, 1, ARCH_1, new Cost(1, 2), 2);

        store.finished(id, SearchStatus.FAILED, "out of native memory");

        StoredSearch loaded = store.load(id);
        assertEquals(SearchStatus.FAILED, loaded.status());
        assertEquals(TrialStatus.SUCCEEDED, loaded.trials().get(0).status(), "a finished trial keeps its result");
        assertEquals(0.5, loaded.trials().get(0).validationAccuracy());
        assertEquals(TrialStatus.FAILED, loaded.trials().get(1).status());
        db.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            SearchEntity s = repo.find(id).orElseThrow();
            assertEquals("out of native memory", s.error);
            assertNotNull(s.finishedAt);
            assertEquals("out of native memory", repo.trial(id, 2).orElseThrow().failure);
            assertNotNull(repo.trial(id, 2).orElseThrow().finishedAt);
            assertNull(repo.trial(id, 1).orElseThrow().failure);
            RetrainEntity r = repo.findRetrain(retrain).orElseThrow();
            assertEquals(TrialStatus.FAILED, r.status);
            assertEquals("out of native memory", r.failure);
            assertNull(r.testAccuracy);
        });
    }

    @Test
    void aSearchEndingWithoutAnErrorStillGivesWhatRanAReason() {
        long id = store.create(request(), DATASET);
        store.started(id);
        long trial = store.trialStarted(id, 1, ARCH_1, "hash-one", new Cost(1, 2), state(ARCH_1));

        store.finished(id, SearchStatus.INTERRUPTED, null);

        assertEquals(SearchStatus.INTERRUPTED, store.load(id).status());
        db.run(em -> {
            TrialEntity t = new SearchRepository(em).findTrial(trial).orElseThrow();
            assertEquals(TrialStatus.FAILED, t.status);
            assertNotNull(t.failure);
            assertFalse(t.failure.isBlank());
        });
    }

    @Test
    void retrainingsKeepTheirTestAccuracyAndCheckpoint() {
        long id = store.create(request(), DATASET);
        store.started(id);
        long t = store.trialStarted(id, 1, ARCH_1, "hash-one", new Cost(5_000, 60_000), state(ARCH_1));
        store.trialFinished(t, new TrialResult(TrialStatus.SUCCEEDED, 0.75, 2, 1.0, Optional.empty(),
                Optional.of(new byte[] {9})), state(ARCH_1));
        store.retraining(id);
        long ok = store.retrainStarted(id, 1, ARCH_1, new Cost(5_000, 60_000), 3);
        byte[] model = {7, 7, 7, 0, 1};
        store.retrainFinished(ok, new RetrainResult(0.8125, 150, 10_000, 3, 12.5, Optional.empty(),
                Optional.of(model)));
        long failed = store.retrainStarted(id, 1, ARCH_1, new Cost(5_000, 60_000), 3);
        store.retrainFinished(failed, RetrainResult.failed("the dataset has no test split", 0, 0.25));
        store.finished(id, SearchStatus.SUCCEEDED, null);

        db.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            List<RetrainEntity> retrains = repo.retrains(id);
            assertEquals(List.of(ok, failed), retrains.stream().map(r -> r.id).toList());

            RetrainEntity r = retrains.get(0);
            assertEquals(id, r.searchId);
            assertEquals(1, r.trialNumber);
            assertEquals(ARCH_1, r.arch);
            assertEquals(TrialStatus.SUCCEEDED, r.status);
            assertEquals(0.8125, r.testAccuracy);
            assertEquals(150, r.trainImages);
            assertEquals(10_000, r.testImages);
            assertEquals(3, r.epochs);
            assertEquals(5_000L, r.parameters);
            assertEquals(60_000L, r.flops);
            assertEquals(12.5, r.seconds);
            assertNull(r.failure);
            assertNotNull(r.finishedAt);
            RetrainCheckpointEntity c = repo.retrainCheckpoint(ok).orElseThrow();
            assertEquals("onnx", c.format);
            assertArrayEquals(model, c.model);

            RetrainEntity f = retrains.get(1);
            assertEquals(TrialStatus.FAILED, f.status);
            assertNull(f.testAccuracy);
            assertEquals("the dataset has no test split", f.failure);
            assertTrue(repo.retrainCheckpoint(failed).isEmpty());
        });
    }

    @Test
    void anUnknownSearchIsNotFound() {
        long unknown = store.create(request(), DATASET) + 1_000;
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.load(unknown));
        assertTrue(e.getMessage().contains(String.valueOf(unknown)), e.getMessage());
        assertThrows(NotFoundException.class, () -> store.started(unknown));
    }

    /**
     * A database written by the schema before the engine (version 3) is migrated in place, and its
     * searches load with defaults for everything added since.
     */
    @Test
    void searchesWrittenByTheVersion3SchemaStayReadable() throws SQLException {
        String url = "jdbc:postgresql://localhost:" + server.port() + "/schema_v3";
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
                Statement s = c.createStatement()) {
            s.execute("create database schema_v3");
        }
        Flyway.configure().dataSource(url, EmbeddedDatabase.USER, EmbeddedDatabase.USER)
                .locations("classpath:db/migration").target("3").load().migrate();
        long searchId;
        long trialId;
        byte[] model = {8, 7, 'o', 'l', 'd'};
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, EmbeddedDatabase.USER)) {
            searchId = insertV3Search(c);
            trialId = insertV3Trial(c, searchId, 1, ARCH_1, "SUCCEEDED", 0.71, null);
            insertV3Trial(c, searchId, 2, ARCH_2, "FAILED", null, "loss diverged");
            try (PreparedStatement p = c.prepareStatement("insert into trial_epoch (trial_id, epoch, train_loss, "
                    + "train_accuracy, validation_accuracy, seconds, images_per_second) values (?, 1, 0.9, 0.6, 0.71, "
                    + "3.0, 500.0)")) {
                p.setLong(1, trialId);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("insert into trial_checkpoint (trial_id, format, model, "
                    + "created_at) values (?, 'onnx', ?, ?)")) {
                p.setLong(1, trialId);
                p.setBytes(2, model);
                p.setTimestamp(3, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
        }

        try (Database migrated = Database.connect(url, EmbeddedDatabase.USER, EmbeddedDatabase.USER)) {
            StoredSearch old = new JpaSearchStore(migrated).load(searchId);

            assertEquals(SearchStatus.SUCCEEDED, old.status());
            assertTrue(old.controllerState().isEmpty());
            SearchRequest r = old.request();
            assertEquals(r, r.normalized(), "an old search reads as a valid, normalized request");
            assertEquals(org.cellforge.engine.Retraining.TRAIN_VALIDATION, r.retrainingSettings().data(),
                    "an old search was retrained on train+validation");
            assertEquals("", r.recipeLabel(), "and came from no recipe");
            assertEquals("nas-bench-201", r.space());
            assertEquals("random", r.controller());
            assertEquals(5, r.trials());
            assertEquals(2, r.epochs());
            assertEquals(7L, r.seed());
            assertEquals(1_000, r.trainSize());
            assertEquals(500, r.validationSize());
            assertEquals(3L, r.splitSeed());
            assertEquals("adam", r.optimizer());
            assertEquals(0.001, r.learningRate());
            assertEquals("crop-flip", r.augmentation());
            assertEquals(2, r.threads());
            assertEquals(Map.of(), r.options());
            assertEquals("none", r.earlyStopping().get("rule"));
            assertEquals(0, r.warmStart());
            assertEquals(0, r.retrainEpochs(), "searches from before the final retraining had none");
            assertEquals("best", r.retrain());
            assertEquals(1, r.parallelTrials());

            assertEquals(2, old.trials().size());
            StoredTrial first = old.trials().get(0);
            assertEquals(new StoredTrial(trialId, 1, ARCH_1, null, TrialStatus.SUCCEEDED, 0.71, new Cost(1_234, 0),
                    List.of(0.71), Optional.empty(), 3.0, true, List.of(), 500.0), first, "an ended trial is stored as told");
            StoredTrial second = old.trials().get(1);
            assertEquals(TrialStatus.FAILED, second.status());
            assertNull(second.validationAccuracy());

            migrated.run(em -> {
                SearchRepository repo = new SearchRepository(em);
                assertArrayEquals(model, repo.checkpoint(trialId).orElseThrow().model);
                assertEquals(1, repo.best(searchId).orElseThrow().number);
                assertNull(repo.find(searchId).orElseThrow().inputChannels, "the image shape was not recorded then");
                assertTrue(repo.retrains(searchId).isEmpty());
            });
        }
    }

    private static long insertV3Search(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into search (space, controller, trial_budget, "
                + "epochs_per_trial, seed, channels, cells_per_stage, batch_size, train_size, validation_size, "
                + "split_seed, dataset, status, created_at, started_at, finished_at, optimizer, learning_rate, "
                + "augmentation, threads) values ('nas-bench-201', 'random', 5, 2, 7, 16, 1, 128, 1000, 500, 3, "
                + "'fashion-mnist', 'SUCCEEDED', ?, ?, ?, 'adam', 0.001, 'crop-flip', 2) returning id")) {
            Timestamp now = Timestamp.from(Instant.now());
            p.setTimestamp(1, now);
            p.setTimestamp(2, now);
            p.setTimestamp(3, now);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    private static long insertV3Trial(Connection c, long searchId, int number, String arch, String status,
            Double accuracy, String failure) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into trial (search_id, number, arch, status, "
                + "validation_accuracy, parameters, seconds, failure, created_at, finished_at) "
                + "values (?, ?, ?, ?, ?, 1234, 3.0, ?, ?, ?) returning id")) {
            p.setLong(1, searchId);
            p.setInt(2, number);
            p.setString(3, arch);
            p.setString(4, status);
            if (accuracy == null) {
                p.setNull(5, Types.DOUBLE);
            } else {
                p.setDouble(5, accuracy);
            }
            p.setString(6, failure);
            Timestamp now = Timestamp.from(Instant.now());
            p.setTimestamp(7, now);
            p.setTimestamp(8, now);
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    /**
     * A search of seven trials, each with a checkpoint of number * 10 bytes: trial (accuracy, parameters,
     * FLOPs) 1 (0.90, 500, 5000) best; 2 (0.85, 400, 6000) fewer parameters; 3 (0.80, 450, 4000) fewer
     * FLOPs; 4 (0.70, 600, 7000) dominated; 5 (0.60, 300, 8000) fewest parameters; 6 failed; 7 as 4.
     */
    private static long prunable() {
        long id = store.create(SearchRequest.builder().trials(7).epochs(1).channels(4).trainSize(100)
                .validationSize(50).build().normalized(), DATASET);
        db.run(em -> {
            em.createNativeQuery("insert into trial (search_id, number, arch, status, validation_accuracy, parameters, "
                    + "flops, created_at, told, attempts) values "
                    + "(?1, 1, 'a1', 'SUCCEEDED', 0.90, 500, 5000, now(), true, 1), "
                    + "(?1, 2, 'a2', 'SUCCEEDED', 0.85, 400, 6000, now(), true, 1), "
                    + "(?1, 3, 'a3', 'SUCCEEDED', 0.80, 450, 4000, now(), true, 1), "
                    + "(?1, 4, 'a4', 'SUCCEEDED', 0.70, 600, 7000, now(), true, 1), "
                    + "(?1, 5, 'a5', 'SUCCEEDED', 0.60, 300, 8000, now(), true, 1), "
                    + "(?1, 6, 'a6', 'FAILED', null, 350, 3000, now(), true, 1), "
                    + "(?1, 7, 'a7', 'SUCCEEDED', 0.70, 600, 7000, now(), true, 1)")
                    .setParameter(1, id).executeUpdate();
            em.createNativeQuery("insert into trial_checkpoint (trial_id, format, model, created_at) select t.id, "
                    + "'onnx', decode(repeat('00', t.number * 10), 'hex'), now() from trial t where t.search_id = ?1")
                    .setParameter(1, id).executeUpdate();
        });
        return id;
    }

    private static List<Integer> keptCheckpoints(long id) {
        return db.call(em -> new SearchRepository(em).checkpointSizes(id, null)).keySet().stream().sorted().toList();
    }

    @Test
    void aPruneKeepsTheBestAndBothParetoFronts() {
        long id = prunable();
        long[] removed = db.call(em -> new SearchRepository(em).pruneCheckpoints(id, 1));
        assertEquals(List.of(1, 2, 3, 5), keptCheckpoints(id));
        assertArrayEquals(new long[] {3, 40 + 60 + 70}, removed);
        // Pruning again removes nothing more.
        assertArrayEquals(new long[] {0, 0}, db.call(em -> new SearchRepository(em).pruneCheckpoints(id, 1)));
    }

    @Test
    void aPruneKeepsMoreOfTheBestWhenAskedAndNoneWithZero() {
        long wide = prunable();
        db.call(em -> new SearchRepository(em).pruneCheckpoints(wide, 4));
        // The four most accurate are 1, 2, 3 and the earlier of the equally accurate 4 and 7; 5 is on a front.
        assertEquals(List.of(1, 2, 3, 4, 5), keptCheckpoints(wide));
        long none = prunable();
        assertArrayEquals(new long[] {7, 280}, db.call(em -> new SearchRepository(em).pruneCheckpoints(none, 0)));
        assertEquals(List.of(), keptCheckpoints(none));
    }
}
