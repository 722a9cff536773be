package org.cellforge.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.cellforge.engine.SearchEvent;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.StoredSearch;
import org.cellforge.engine.StoredTrial;
import org.cellforge.persistence.Database;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.persistence.RetrainEntity;
import org.cellforge.persistence.SearchRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A weight-sharing or DARTS search interrupted after a supernet epoch and resumed from its stored
 * checkpoint ends as the same search run without interruption: same trials, same estimates, same
 * genotype retrained. Real ND4J training on a tiny supernet, a real PostgreSQL.
 */
class ResumeTest {

    private static EmbeddedDatabase server;
    private static Database db;
    private static Cellforge cellforge;

    @BeforeAll
    static void start() {
        server = EmbeddedDatabase.startTemporary();
        db = Database.connect(server.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.USER);
        cellforge = Cellforge.of(db, Datasets.fromEnvironment(), SearchListener.none());
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

    private static SearchRequest request(String space, String controller, String sampling) {
        return SearchRequest.builder().space(space).controller(controller).seed(11L).epochs(1).trials(3)
                .channels(space.equals("darts") ? 2 : 4).trainSize(128).validationSize(64).batchSize(32)
                .threads(1).retrainEpochs(1).mode("weight-sharing")
                .supernet(Map.of("epochs", 2, "sampling", sampling, "finalists", 1)).build();
    }

    @ParameterizedTest(name = "{1} on {0}, {2} sampling")
    @CsvSource({"nas-bench-201, reinforce, controller", "darts, random, uniform", "nas-bench-201, darts, uniform"})
    void anInterruptedSearchResumedFromItsCheckpointEndsAsAnUninterruptedOne(String space, String controller,
            String sampling) {
        long straight = cellforge.submit(request(space, controller, sampling));
        assertEquals(SearchStatus.SUCCEEDED, cellforge.run(straight, SearchListener.none()));

        long broken = cellforge.submit(request(space, controller, sampling));
        SearchStatus first = cellforge.run(broken, e -> {
            if (e instanceof SearchEvent.SupernetTrained t && t.epoch().epoch() == 1) {
                // What a stopped process leaves: the search ends INTERRUPTED after epoch 1's checkpoint.
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(SearchStatus.INTERRUPTED, first);
        assertEquals(List.of(), cellforge.store().load(broken).trials(), "interrupted during supernet training");
        assertEquals(1, cellforge.store().latestCheckpoint(broken).orElseThrow().epoch());

        assertEquals(SearchStatus.SUCCEEDED, cellforge.resume(broken, SearchListener.none()));
        StoredSearch a = cellforge.store().load(straight);
        StoredSearch b = cellforge.store().load(broken);
        assertEquals(a.trials().stream().map(StoredTrial::arch).toList(),
                b.trials().stream().map(StoredTrial::arch).toList());
        assertEquals(estimates(straight), estimates(broken), "the same supernet weights after resuming");
        assertEquals(a.trials().stream().map(StoredTrial::validationAccuracy).toList(),
                b.trials().stream().map(StoredTrial::validationAccuracy).toList());
        assertEquals(retrained(straight), retrained(broken), "the same genotype is retrained and tested");
        List<SearchRepository.SupernetEpochRow> epochs = db.call(em -> new SearchRepository(em)
                .supernetEpochs(broken));
        assertEquals(List.of(1, 2), epochs.stream().map(SearchRepository.SupernetEpochRow::epoch).toList());
    }

    private static List<Double> estimates(long id) {
        return db.call(em -> em.createQuery("select t.supernetEstimate from TrialEntity t where t.search.id = :id "
                + "order by t.number", Double.class).setParameter("id", id).getResultList());
    }

    private static List<String> retrained(long id) {
        return db.call(em -> new SearchRepository(em).retrains(id)).stream().map((RetrainEntity r) -> r.arch
                + " " + r.testAccuracy).toList();
    }
}
