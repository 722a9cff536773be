package org.cellforge.web.search;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongPredicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cellforge.persistence.SearchChanges;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Changes to searches as they commit, from this process or any other on the database (a worker, a
 * command-line search), handed to the dashboard's views so that they redraw when, and only when,
 * something they show changed.
 */
@ApplicationScoped
public class SearchFeed {

    /** What a view registered; closing it stops the calls. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Subscriber(LongPredicate which, Runnable changed) {
    }

    @Inject
    javax.sql.DataSource dataSource;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    /**
     * Runs the subscribers' calls, off the listening thread: a view's redraw may take the session lock
     * and read the database, and one slow view must not hold back the notices of all others.
     */
    private final ExecutorService calls = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "cellforge-search-feed");
        t.setDaemon(true);
        return t;
    });
    private SearchChanges changes;

    void onStart(@Observes StartupEvent event) {
        changes = SearchChanges.listen(dataSource, this::changed, this::resync);
    }

    /** On shutdown, before the connection pool closes under the listening connection. */
    void onStop(@Observes ShutdownEvent event) {
        if (changes != null) {
            changes.close();
        }
        calls.shutdownNow();
    }

    /**
     * Calls {@code changed} (on one of the feed's two threads, so it should hand the work on) after each committed
     * change to a search that {@code which} accepts, and after a lost connection came back, when changes
     * may have been missed.
     */
    public Subscription subscribe(LongPredicate which, Runnable changed) {
        Subscriber s = new Subscriber(which, changed);
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    /** Whether changes are being received now. */
    public boolean live() {
        return changes != null && changes.listening();
    }

    private void changed(long searchId) {
        for (Subscriber s : subscribers) {
            if (s.which().test(searchId)) {
                call(s);
            }
        }
    }

    private void resync() {
        subscribers.forEach(this::call);
    }

    private void call(Subscriber s) {
        try {
            calls.execute(s.changed());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: nobody is waiting for redraws any more
        }
    }
}
