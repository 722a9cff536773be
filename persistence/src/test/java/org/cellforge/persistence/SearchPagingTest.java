package org.cellforge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Cost;
import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.EpochRecord;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.TrialStatus;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard reads of large searches: one page of trials at a time in each sort order, the
 * list's totals in two statements, chart points and chosen learning curves, and the change notices
 * that replace polling.
 */
class SearchPagingTest {

    private static final DatasetInfo DATASET = new DatasetInfo(1, 28, 28, 10, "60000 images 1x28x28, 10 classes");
    private static final int TRIALS = 500;

    private static EmbeddedDatabase server;
    private static Database db;
    private static JpaSearchStore store;
    private static long search;

    @BeforeAll
    static void start() {
        server = EmbeddedDatabase.startTemporary();
        db = Database.connect(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        store = new JpaSearchStore(db);
        search = newSearch();
        // Trial n: accuracy (n % 97) / 100 for succeeded trials, every 10th failed (no accuracy), every
        // 25th still running; parameters fall as n grows, so the orders disagree with each other.
        db.run(em -> em.createNativeQuery("insert into trial (search_id, number, arch, status, validation_accuracy, "
                        + "parameters, flops, seconds, created_at, told, attempts) select ?1, n, 'arch-' || n, case "
                        + "when n % 25 = 0 then 'RUNNING' when n % 10 = 0 then 'FAILED' else 'SUCCEEDED' end, case "
                        + "when n % 10 = 0 or n % 25 = 0 then null else (n % 97) / 100.0 end, 100000 - n, 1000 + n, "
                        + "n * 1.5, now(), true, 1 from generate_series(1, ?2) n")
                .setParameter(1, search).setParameter(2, TRIALS).executeUpdate());
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

    private static long newSearch() {
        return store.create(SearchRequest.builder().trials(TRIALS).epochs(1).channels(4).trainSize(100)
                .validationSize(50).build().normalized(), DATASET);
    }

    @Test
    void aPageReadsOnlyItsOwnRows() {
        db.run(em -> {
            List<TrialEntity> page = new SearchRepository(em).trialPage(search, null,
                    SearchRepository.TrialOrder.ACCURACY, true, 40, 20);
            assertEquals(20, page.size());
            // Only the page's trials were loaded into the session, not the search's 500.
            long loaded = em.unwrap(Session.class).getStatistics().getEntityKeys().stream()
                    .filter(k -> ((org.hibernate.engine.spi.EntityKey) k).getEntityName()
                            .equals(TrialEntity.class.getName())).count();
            assertEquals(20, loaded);
        });
    }

    @Test
    void pagesInEachOrderCoverEveryTrialOnceAndAreSorted() {
        for (SearchRepository.TrialOrder order : SearchRepository.TrialOrder.values()) {
            for (boolean descending : new boolean[] {false, true}) {
                List<TrialEntity> all = new ArrayList<>();
                for (int offset = 0; offset < TRIALS; offset += 64) {
                    int from = offset;
                    all.addAll(db.call(em -> new SearchRepository(em).trialPage(search, null, order, descending, from,
                            64)));
                }
                Set<Integer> numbers = new HashSet<>();
                all.forEach(t -> numbers.add(t.number));
                assertEquals(TRIALS, numbers.size(), order + (descending ? " desc" : " asc"));
                for (int i = 1; i < all.size(); i++) {
                    TrialEntity a = all.get(i - 1);
                    TrialEntity b = all.get(i);
                    Comparable<Object> ka = key(order, a);
                    Object kb = key(order, b);
                    if (kb == null) {
                        continue;
                    }
                    // Trials without the sorted value come last in both directions.
                    assertTrue(ka != null, order + ": a null before " + b.number);
                    int c = ka.compareTo(kb);
                    assertTrue(descending ? c >= 0 : c <= 0, order + " at " + a.number + ", " + b.number);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> key(SearchRepository.TrialOrder order, TrialEntity t) {
        Object k = switch (order) {
            case NUMBER -> t.number;
            case ACCURACY -> t.validationAccuracy;
            case PARAMETERS -> t.parameters;
            case SECONDS -> t.seconds;
        };
        return (Comparable<Object>) k;
    }

    @Test
    void statusFilterAndCountAgree() {
        db.run(em -> {
            SearchRepository repo = new SearchRepository(em);
            assertEquals(TRIALS, repo.countTrials(search, null));
            long running = repo.countTrials(search, TrialStatus.RUNNING);
            assertEquals(TRIALS / 25, running);
            List<TrialEntity> page = repo.trialPage(search, TrialStatus.RUNNING, SearchRepository.TrialOrder.NUMBER,
                    false, 0, 100);
            assertEquals(running, page.size());
            assertTrue(page.stream().allMatch(t -> t.status == TrialStatus.RUNNING && t.number % 25 == 0));
        });
    }

    @Test
    void totalsFindTheBestTrialAndItsNewestRetrainedTestAccuracy() {
        long other = newSearch();
        long empty = newSearch();
        db.run(em -> {
            em.createNativeQuery("insert into trial (search_id, number, arch, status, validation_accuracy, created_at, "
                    + "told, attempts) values (?1, 1, 'a', 'SUCCEEDED', 0.8, now(), true, 1), (?1, 2, 'b', 'SUCCEEDED', "
                    + "0.9, now(), true, 1), (?1, 3, 'c', 'SUCCEEDED', 0.9, now(), true, 1), (?1, 4, 'd', 'STOPPED', "
                    + "0.95, now(), true, 1), (?1, 5, 'e', 'RUNNING', null, now(), false, 1)")
                    .setParameter(1, other).executeUpdate();
            em.createNativeQuery("insert into retrain (search_id, trial_number, arch, status, epochs, test_accuracy, "
                    + "created_at) values (?1, 2, 'b', 'SUCCEEDED', 3, 0.88, now()), (?1, 2, 'b', 'SUCCEEDED', 3, 0.89, "
                    + "now()), (?1, 3, 'c', 'SUCCEEDED', 3, 0.99, now())").setParameter(1, other).executeUpdate();
        });
        Map<Long, SearchRepository.SearchTotals> totals = db.call(em -> new SearchRepository(em)
                .totals(List.of(search, other, empty)));
        SearchRepository.SearchTotals o = totals.get(other);
        // A stopped trial's accuracy is from fewer epochs: it is not the best; ties go to the earlier trial.
        assertEquals(2, o.bestTrial());
        assertEquals("b", o.bestArch());
        assertEquals(0.9, o.bestValidation());
        assertEquals(0.89, o.bestTest());
        assertEquals(4, o.finished());
        assertEquals(TRIALS - TRIALS / 25, totals.get(search).finished());
        assertEquals(0.96, totals.get(search).bestValidation(), 1e-9);
        SearchRepository.SearchTotals e = totals.get(empty);
        assertEquals(0, e.finished());
        assertNull(e.bestTrial());
    }

    @Test
    void pointsAndChosenCurves() {
        List<SearchRepository.TrialPoint> points = db.call(em -> new SearchRepository(em).points(search));
        assertEquals(TRIALS, points.size());
        assertEquals(TrialStatus.FAILED, points.get(9).status());
        assertEquals(100000 - 7, points.get(6).parameters());

        long own = newSearch();
        store.started(own);
        long t1 = store.trialStarted(own, 1, "x", "h1", new Cost(1, 2), state());
        long t2 = store.trialStarted(own, 2, "y", "h2", new Cost(1, 2), state());
        store.epochFinished(t1, new EpochRecord(1, 2.0, 0.3, 0.4, 1.0, 100));
        store.epochFinished(t2, new EpochRecord(1, 2.0, 0.3, 0.5, 1.0, 100));
        store.epochFinished(t1, new EpochRecord(2, 1.0, 0.6, 0.7, 1.0, 100));
        Map<Integer, List<TrialEpochEntity>> curves = db.call(em -> new SearchRepository(em).epochsOf(own,
                List.of(1)));
        assertEquals(Set.of(1), curves.keySet());
        assertEquals(List.of(0.4, 0.7), curves.get(1).stream().map(e -> e.validationAccuracy).toList());
    }

    private static ControllerState state() {
        return new ControllerState("random", 1, Map.of("proposed", List.of(), "draws", 0, "warm", false));
    }

    @Test
    void committedChangesAreAnnouncedWithTheirSearch() throws InterruptedException {
        LinkedBlockingQueue<Long> changed = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Boolean> resyncs = new LinkedBlockingQueue<>();
        try (SearchChanges changes = SearchChanges.listen(db.dataSource(), changed::add, () -> resyncs.add(true))) {
            assertEquals(Boolean.TRUE, resyncs.poll(1, TimeUnit.MINUTES), "listening began with a resync");
            long id = newSearch();
            assertEquals(id, poll(changed, id));
            store.started(id);
            long trial = store.trialStarted(id, 1, "x", "h1", new Cost(1, 2), state());
            drain(changed);
            store.epochFinished(trial, new EpochRecord(1, 2.0, 0.3, 0.4, 1.0, 100));
            assertEquals(id, changed.poll(1, TimeUnit.MINUTES), "an epoch of one of its trials");
            drain(changed);
            // A rolled back change sends nothing: the next notice is the later, committed one.
            try {
                db.run(em -> {
                    em.createNativeQuery("update search set error = 'x' where id = ?1").setParameter(1, id)
                            .executeUpdate();
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            long later = newSearch();
            assertEquals(later, changed.poll(1, TimeUnit.MINUTES));
        }
    }

    /**
     * Waits until every notice of changes committed so far has arrived, then forgets them: notices come
     * in commit order, so once a new search's own notice has arrived, no earlier one is still on its way.
     */
    private static void drain(LinkedBlockingQueue<Long> changed) throws InterruptedException {
        long marker = newSearch();
        assertEquals(marker, poll(changed, marker));
        changed.clear();
    }

    /** Waits (bounded) for a notice of search {@code id}, skipping others'. */
    private static long poll(LinkedBlockingQueue<Long> changed, long id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Long next = changed.poll(1, TimeUnit.SECONDS);
            if (next != null && next == id) {
                return next;
            }
        }
        return -1;
    }
}
