package org.cellforge.runner;

import java.util.Objects;

import org.cellforge.engine.DatasetInfo;
import org.cellforge.engine.SearchEngine;
import org.cellforge.engine.SearchListener;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.SearchStore;
import org.cellforge.evaluator.data.Dataset;
import org.cellforge.evaluator.data.ImageSet;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.Transactions;

/**
 * Searches on this machine: validated requests stored in PostgreSQL and run by the engine with the
 * ND4J evaluator. The command line and the Quarkus application both go through here.
 */
public final class Cellforge {

    private final Transactions tx;
    private final Datasets datasets;
    private final SearchStore store;
    private final SearchEngine engine;
    private final Exports exports;

    private Cellforge(Transactions tx, Datasets datasets, SearchListener listener) {
        this.tx = tx;
        this.datasets = datasets;
        this.store = new JpaSearchStore(tx);
        this.engine = SearchEngine.of(new Nd4jEvaluations(datasets), store, listener);
        this.exports = new Exports(tx, datasets);
    }

    /** Searches stored through {@code tx}, with {@code listener} receiving every search's events. */
    public static Cellforge of(Transactions tx, Datasets datasets, SearchListener listener) {
        return new Cellforge(Objects.requireNonNull(tx, "tx"), Objects.requireNonNull(datasets, "datasets"),
                Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Validates {@code request}, checks its dataset, and stores it as a QUEUED search.
     *
     * @return the search's id
     * @throws org.cellforge.engine.InvalidRequestException with every field at fault
     */
    public long submit(SearchRequest request) {
        return submit(request, false);
    }

    /** How long a search submitted to run here is left to this process by other coordinators. */
    private static final java.time.Duration RESERVATION = java.time.Duration.ofMinutes(1);

    private long submit(SearchRequest request, boolean reserve) {
        if (request == null) {
            throw org.cellforge.engine.InvalidRequestException.of("body", "a JSON object describing the search is "
                    + "required");
        }
        SearchRequest r = request.normalized();
        Dataset data = datasets.check(r);
        ImageSet images = data.train();
        Binding.checkImageSize(org.cellforge.engine.Spaces.require(r.space()), images.height(), images.width());
        DatasetInfo info = new DatasetInfo(images.channels(), images.height(), images.width(), images.classes(),
                datasets.fingerprint(r.dataset()));
        return reserve ? store.createReserved(r, info, RESERVATION) : store.create(r, info);
    }

    /**
     * Like {@link #submit}, for a search this process coordinates itself: no server on the same database
     * takes it up in the moment before this process holds its lock.
     */
    public long submitHere(SearchRequest request) {
        return submit(request, true);
    }

    /** Runs QUEUED search {@code id} to its end on the calling thread, {@code extra} receiving its events too. */
    public SearchStatus run(long id, SearchListener extra) {
        return engine.run(id, extra);
    }

    /**
     * Checks that search {@code id} can be resumed; see {@link SearchEngine#checkResume}.
     *
     * @return the request it was started with
     */
    public SearchRequest checkResume(long id) {
        return engine.checkResume(id).request();
    }

    /**
     * Continues INTERRUPTED search {@code id} from its newest supernet checkpoint to its end on the
     * calling thread; see {@link SearchEngine#resume}.
     */
    public SearchStatus resume(long id, SearchListener extra) {
        return engine.resume(id, extra);
    }

    /**
     * Checks that search {@code id} can be resumed and moves it back to RUNNING, to be run by
     * {@link #resume(SearchEngine.Resumption, SearchListener)}; see {@link SearchEngine#prepareResume}.
     */
    public SearchEngine.Resumption prepareResume(long id) {
        return engine.prepareResume(id);
    }

    /** Runs a prepared resumption to the search's end on the calling thread. */
    public SearchStatus resume(SearchEngine.Resumption resumption, SearchListener extra) {
        return engine.resume(resumption, extra);
    }

    /**
     * Checks a later retraining of trials {@code numbers} of search {@code id}; see {@link SearchEngine#checkRetrain}.
     */
    public void checkRetrain(long id, java.util.List<Integer> numbers, int epochs) {
        engine.checkRetrain(id, numbers, epochs);
    }

    /**
     * Retrains trials {@code numbers} of ended search {@code id} on train+validation and tests each once;
     * see {@link SearchEngine#retrain}.
     */
    public SearchStatus retrain(long id, java.util.List<Integer> numbers, int epochs, SearchListener extra) {
        return engine.retrain(id, numbers, epochs, extra);
    }

    /** The engine searches run with. */
    public SearchEngine engine() {
        return engine;
    }

    /** A worker that trains stored trials of any search with this process's data. */
    public org.cellforge.engine.TrialWorker worker() {
        return org.cellforge.engine.TrialWorker.of(new Nd4jEvaluations(datasets), store,
                org.cellforge.engine.TrialWorker.processName());
    }

    /**
     * Checks that this process's copy of search {@code searchId}'s dataset is the one the search was made
     * with (size and checksum recorded with it), before a trial of it is trained here.
     *
     * @throws IllegalStateException naming both fingerprints if they differ, or if the data is missing here
     */
    public void checkDataset(long searchId) {
        String[] recorded = tx.call(em -> new org.cellforge.persistence.SearchRepository(em).find(searchId)
                .map(s -> new String[] {s.dataset, s.datasetFingerprint}).orElse(null));
        if (recorded == null || recorded[1] == null) {
            return;
        }
        String here;
        try {
            here = datasets.fingerprint(recorded[0]);
        } catch (RuntimeException e) {
            throw new IllegalStateException("this worker cannot load dataset " + recorded[0] + " of search " + searchId
                    + ": " + e.getMessage(), e);
        }
        if (!here.equals(recorded[1])) {
            throw new IllegalStateException("this worker's copy of dataset " + recorded[0] + " (" + here + ") differs "
                    + "from the one search " + searchId + " was made with (" + recorded[1] + ")");
        }
    }

    /** The store searches are kept in. */
    public SearchStore store() {
        return store;
    }

    /** Exports of results. */
    public Exports exports() {
        return exports;
    }

    /** The datasets searches read. */
    public Datasets datasets() {
        return datasets;
    }
}
