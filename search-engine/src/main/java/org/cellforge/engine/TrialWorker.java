package org.cellforge.engine;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.cellforge.engine.stopping.EarlyStopping;
import org.cellforge.engine.stopping.LearningCurves;
import org.cellforge.space.Architecture;
import org.cellforge.space.SearchSpace;

/**
 * The worker half of a search: trains one stored trial stand-alone and stores how it ended. Everything
 * it needs comes from the store, so any process with the search's data can run it, and a trial
 * delivered twice is trained once more at most and stored once ({@link SearchStore#claimTrial},
 * {@link SearchStore#trialFinished}). The early-stopping rule reads the other trials' curves from the
 * store, wherever they train.
 *
 * <p>Keeps the evaluations of the searches it served last open (data split and networks), closing the
 * oldest beyond {@value #OPEN_SEARCHES}.
 */
public final class TrialWorker implements AutoCloseable {

    /** Searches whose evaluation stays open between trials. */
    static final int OPEN_SEARCHES = 2;

    private static final System.Logger LOG = System.getLogger(TrialWorker.class.getName());

    private final EvaluationFactory evaluations;
    private final SearchStore store;
    private final String name;
    private final Map<Long, Opened<?>> open = new LinkedHashMap<>(4, 0.75f, true);

    private TrialWorker(EvaluationFactory evaluations, SearchStore store, String name) {
        this.evaluations = evaluations;
        this.store = store;
        this.name = name;
    }

    /** A worker evaluating with {@code evaluations}, storing in {@code store}, recorded as {@code name}. */
    public static TrialWorker of(EvaluationFactory evaluations, SearchStore store, String name) {
        return new TrialWorker(java.util.Objects.requireNonNull(evaluations, "evaluations"),
                java.util.Objects.requireNonNull(store, "store"), java.util.Objects.requireNonNull(name, "name"));
    }

    /** The name of this process as workers record it: host and process id. */
    public static String processName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** A search's evaluation and what decides early stops, kept open between its trials. */
    private record Opened<A extends Architecture>(SearchSpace<A> space, Evaluation<A> evaluation,
            Optional<EarlyStopping> stopping, int epochs) {

        static <A extends Architecture> Opened<A> of(SearchRequest request, SearchSpace<A> space,
                Evaluation<A> evaluation) {
            // Without a rule nothing reads the other trials' curves, which costs a query per epoch.
            Optional<EarlyStopping> stopping = EarlyStopping.NONE.equals(String.valueOf(
                    request.earlyStopping().getOrDefault("rule", EarlyStopping.NONE))) ? Optional.empty()
                    : Optional.of(EarlyStopping.of(EarlyStopping.options(request.earlyStopping()), request.epochs()));
            return new Opened<>(space, evaluation, stopping, request.epochs());
        }
    }

    /**
     * Makes {@code evaluation} the one this worker uses for search {@code searchId}, so that a search
     * running in this process trains its trials on the data it opened already.
     */
    public synchronized <A extends Architecture> void adopt(long searchId, SearchRequest request, SearchSpace<A> space,
            Evaluation<A> evaluation) {
        open.put(searchId, Opened.of(request, space, evaluation));
    }

    /** Forgets an adopted evaluation without closing it (its search closes it). */
    public synchronized void release(long searchId) {
        open.remove(searchId);
    }

    /**
     * Trains stored trial {@code trialId} if it still waits for a result, publishing its epochs to
     * {@code events}. A failing training is stored as a FAILED trial with its reason.
     *
     * @throws RuntimeException if the store cannot be reached or the search's data cannot be opened:
     *     the job engine delivers the trial again, elsewhere or later
     */
    public void run(long trialId, SearchListener events) {
        Optional<SearchStore.TrialClaim> claim = store.claimTrial(trialId, name);
        if (claim.isEmpty()) {
            LOG.log(Level.DEBUG, "trial " + trialId + " has ended or its search has; nothing to do");
            return;
        }
        SearchStore.TrialClaim c = claim.get();
        train(c, opened(c.searchId()), events);
    }

    private synchronized Opened<?> opened(long searchId) {
        Opened<?> o = open.get(searchId);
        if (o != null) {
            return o;
        }
        StoredSearch search = store.load(searchId);
        o = open(searchId, search.request(), Spaces.require(search.request().space()));
        open.put(searchId, o);
        while (open.size() > OPEN_SEARCHES) {
            Long oldest = open.keySet().iterator().next();
            open.remove(oldest).evaluation().close();
        }
        return o;
    }

    private <A extends Architecture> Opened<A> open(long searchId, SearchRequest request, SearchSpace<A> space) {
        return Opened.of(request, space, evaluations.open(searchId, request, space));
    }

    /** Why a training was abandoned without a result of its own. */
    private enum Abandoned {
        /** The thread was interrupted: the worker is stopping, and the trial is delivered again. */
        INTERRUPTED,
        /** The search ended (cancelled): whoever ended it stored the trial's end already. */
        SEARCH_ENDED
    }

    private <A extends Architecture> void train(SearchStore.TrialClaim c, Opened<A> o, SearchListener events) {
        A architecture = o.space().parse(c.arch());
        long start = System.nanoTime();
        AtomicInteger epochs = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Abandoned> abandoned = new java.util.concurrent.atomic.AtomicReference<>();
        TrialResult result;
        try {
            result = o.evaluation().train(architecture, c.number(), e -> {
                if (Thread.currentThread().isInterrupted()) {
                    abandoned.set(Abandoned.INTERRUPTED);
                    throw new CancellationException("interrupted");
                }
                epochs.set(e.epoch());
                store.epochFinished(c.trialId(), e);
                publish(events, new SearchEvent.Epoch(c.searchId(), c.number(), e));
                SearchStatus status = store.status(c.searchId());
                if (!status.live() && status != SearchStatus.PAUSED) {
                    abandoned.set(Abandoned.SEARCH_ENDED);
                    throw new CancellationException(SearchStore.CANCELLED);
                }
                return !stops(o, c, e.epoch());
            });
        } catch (RuntimeException e) {
            // The reason is stored with the trial; the trace only helps whoever debugs the evaluator.
            LOG.log(Level.DEBUG, "trial " + c.number() + " of search " + c.searchId() + " failed", e);
            result = TrialResult.failed(e.getMessage() == null ? e.toString() : e.getMessage(), epochs.get(),
                    (System.nanoTime() - start) / 1e9);
        }
        // The evaluator turns an exception of its listener into a failed result: what was abandoned has none.
        if (abandoned.get() == Abandoned.SEARCH_ENDED) {
            return;
        }
        if (abandoned.get() == Abandoned.INTERRUPTED || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the worker stopped while it trained trial " + c.number() + " of search "
                    + c.searchId());
        }
        if (!store.trialFinished(c.trialId(), result, null)) {
            LOG.log(Level.DEBUG, "trial " + c.number() + " of search " + c.searchId() + " had ended already");
        }
    }

    /** Whether the search's rule stops the trial after {@code epoch}, judged on every trial's stored curve. */
    private boolean stops(Opened<?> o, SearchStore.TrialClaim c, int epoch) {
        if (o.stopping().isEmpty() || epoch >= o.epochs()) {
            return false;
        }
        LearningCurves curves = new LearningCurves();
        for (StoredTrial t : store.load(c.searchId()).trials()) {
            for (int i = 0; i < t.curve().size(); i++) {
                curves.epoch(t.number(), i + 1, t.curve().get(i));
            }
            if (t.status() != TrialStatus.RUNNING) {
                curves.ended(t.number(), t.status());
            }
        }
        return o.stopping().get().stop(curves, c.number(), epoch);
    }

    private static void publish(SearchListener events, SearchEvent event) {
        try {
            events.on(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a search listener failed on " + event.getClass().getSimpleName(), e);
        }
    }

    /** Closes the evaluations it opened. */
    @Override
    public synchronized void close() {
        open.values().forEach(o -> o.evaluation().close());
        open.clear();
    }
}
