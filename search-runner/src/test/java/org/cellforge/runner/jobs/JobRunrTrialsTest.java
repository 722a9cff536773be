package org.cellforge.runner.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cellforge.controller.Cost;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.StoredTrial;
import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.runner.Cellforge;
import org.cellforge.runner.Datasets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trials as jobs on a real PostgreSQL: delivery, refusal by a worker with other data, locks. */
class JobRunrTrialsTest {

    private static EmbeddedDatabase pg;
    private static Database db;
    private static Cellforge cellforge;

    @BeforeAll
    static void start() {
        pg = EmbeddedDatabase.startTemporary();
        db = Database.connect(pg.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        cellforge = Cellforge.of(db, Datasets.fromEnvironment(), SearchListener.none());
    }

    @AfterAll
    static void stop() {
        db.close();
        pg.close();
    }

    private static SearchRequest tiny() {
        return SearchRequest.builder().controller("random").trials(1).epochs(1).channels(4).trainSize(300)
                .validationSize(100).batchSize(50).retrainEpochs(1).threads(1).build();
    }

    @Test
    void processesOpeningTheJobTablesTogetherOnANewDatabaseAllSucceed() throws Exception {
        // A server and its workers started at once on a new database each set up JobRunr's tables.
        try (EmbeddedDatabase fresh = EmbeddedDatabase.startTemporary()) {
            List<Database> processes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                processes.add(Database.connect(fresh.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER));
            }
            ExecutorService starts = Executors.newFixedThreadPool(processes.size());
            try {
                CyclicBarrier together = new CyclicBarrier(processes.size());
                List<Future<JobRunrTrials>> opened = new ArrayList<>();
                for (Database p : processes) {
                    opened.add(starts.submit(() -> {
                        together.await(60, TimeUnit.SECONDS);
                        return JobRunrTrials.on(p.dataSource());
                    }));
                }
                for (Future<JobRunrTrials> f : opened) {
                    f.get(120, TimeUnit.SECONDS).close();
                }
            } finally {
                starts.shutdownNow();
                processes.forEach(Database::close);
            }
        }
    }

    @Test
    void aWorkerWithAnotherCopyOfTheDataRefusesTheTrialWhichIsGivenUpAfterItsDeliveriesWithTheReason() {
        long id = cellforge.submit(tiny());
        db.run(em -> em.createNativeQuery("update search set dataset_fingerprint = 'another copy' where id = ?1")
                .setParameter(1, id).executeUpdate());
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> cellforge.checkDataset(id));
        assertTrue(refused.getMessage().contains("differs from the one search " + id + " was made with (another copy)"),
                refused.getMessage());

        try (JobRunrTrials jobs = JobRunrTrials.on(db.dataSource())) {
            jobs.startWorker(1, cellforge.worker(), cellforge::checkDataset, "test worker");
            SearchStatus status = cellforge.engine().coordinate(id, jobs, SearchListener.none());
            assertEquals(SearchStatus.FAILED, status);
        }
        StoredTrial trial = cellforge.store().load(id).trials().get(0);
        assertEquals(TrialStatus.FAILED, trial.status());
        String why = trial.failure().orElseThrow();
        assertTrue(why.contains("given up after " + JobRunrTrials.ATTEMPTS + " deliveries"), why);
        assertTrue(why.contains("another copy"), why);
        long attempts = db.call(em -> ((Number) em.createNativeQuery("select attempts from trial where id = ?1")
                .setParameter(1, trial.id()).getSingleResult()).longValue());
        assertEquals(0, attempts, "no delivery trained it");
    }

    @Test
    void handingATrialOverTwiceMakesOneJobAndATrialWhoseJobEndedWithoutAResultGetsANewOne() {
        long id = cellforge.submit(tiny());
        cellforge.store().started(id);
        long trial = cellforge.store().trialStarted(id, 1, "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+"
                + "|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", "c", new Cost(1, 1), null);
        try (JobRunrTrials jobs = JobRunrTrials.on(db.dataSource())) {
            jobs.submit(id, trial);
            jobs.submit(id, trial);
            assertEquals(1L, jobsOf(trial), "one job per trial");
            assertEquals(Optional.empty(), jobs.givenUp(trial));
            // Ended without a result for the trial, as the job of a search cancelled before it trained.
            var job = jobs.storage().getJobById(JobRunrTrials.jobId(trial));
            jobs.storage().save(job.delete("the search was cancelled"));
            jobs.submit(id, trial);
            assertEquals(1L, jobsOf(trial));
            assertEquals("ENQUEUED", db.call(em -> em.createNativeQuery("select state from jobrunr_jobs where id = ?1")
                    .setParameter(1, JobRunrTrials.jobId(trial).toString()).getSingleResult()));
        }
    }

    @Test
    void aSearchIsCoordinatedByOneSessionAtATimeAndItsLockGoesWithTheSession() {
        SearchLocks locks = new SearchLocks(db.dataSource());
        long id = 424_242;
        assertFalse(locks.held(id));
        try (SearchLocks.Lock first = locks.tryLock(id).orElseThrow()) {
            assertTrue(locks.held(id));
            assertEquals(Optional.empty(), locks.tryLock(id), "a second coordinator is refused");
            assertNotEquals(Optional.empty(), locks.tryLock(id + 1).map(l -> {
                l.close();
                return l;
            }), "other searches' locks are apart");
        }
        assertFalse(locks.held(id), "released with its holder");
        locks.tryLock(id).orElseThrow().close();
    }

    private static long jobsOf(long trial) {
        return db.call(em -> ((Number) em.createNativeQuery("select count(*) from jobrunr_jobs where id = ?1")
                .setParameter(1, JobRunrTrials.jobId(trial).toString()).getSingleResult()).longValue());
    }
}
