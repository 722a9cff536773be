package org.cellforge.web.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cellforge.engine.SearchStatus;
import org.cellforge.web.search.QuarkusTransactions;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What an operator watches, on {@code /q/metrics}: searches by status, trials started and finished by
 * outcome, trials waiting for a worker, and the images per second the running trials train. Read from
 * the database, so the numbers cover every process on it (workers, other servers, command-line
 * searches), not only this one; one set of queries serves a scrape, however many meters it reads,
 * and is reused for {@link #FRESH}. No meter has a tag per search or per request path, so the number
 * of series stays fixed.
 */
@ApplicationScoped
public class SearchMetrics {

    /** How long one reading of the database serves scrapes. */
    static final Duration FRESH = Duration.ofSeconds(5);

    /** Trial outcomes, as tags of {@code cellforge.trials.finished}. */
    private static final List<String> OUTCOMES = List.of("SUCCEEDED", "STOPPED", "FAILED");

    @Inject
    QuarkusTransactions tx;

    @Inject
    MeterRegistry registry;

    private volatile Snapshot snapshot;

    /**
     * One reading.
     *
     * @param searches searches by status
     * @param trials trials ever started (stored)
     * @param finished trials ended, by outcome
     * @param waiting trials stored for a worker that no worker has taken up yet
     * @param imagesPerSecond the latest epoch's training throughput of each running trial, summed
     */
    record Snapshot(long at, Map<SearchStatus, Long> searches, long trials, Map<String, Long> finished, long waiting,
            double imagesPerSecond) {
    }

    void onStart(@Observes StartupEvent event) {
        for (SearchStatus s : SearchStatus.values()) {
            Gauge.builder("cellforge.searches", this, m -> m.read().searches().getOrDefault(s, 0L))
                    .description("Searches in each status").tag("status", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        FunctionCounter.builder("cellforge.trials.started", this, m -> m.read().trials())
                .description("Trials started (stored for training), in every process on the database")
                .register(registry);
        for (String outcome : OUTCOMES) {
            FunctionCounter.builder("cellforge.trials.finished", this, m -> m.read().finished().getOrDefault(outcome, 0L))
                    .description("Trials that ended, by outcome").tag("outcome",
                            outcome.toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("cellforge.trials.waiting", this, m -> m.read().waiting())
                .description("Trials waiting for a worker (the queue's depth)").register(registry);
        Gauge.builder("cellforge.training.images.per.second", this, m -> m.read().imagesPerSecond())
                .description("Images per second the running trials train, from each one's latest epoch")
                .register(registry);
    }

    /** The newest reading, made now if the last one is older than {@link #FRESH}. */
    Snapshot read() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s == null || now - s.at() > FRESH.toNanos()) {
            synchronized (this) {
                s = snapshot;
                if (s == null || now - s.at() > FRESH.toNanos()) {
                    s = query(now);
                    snapshot = s;
                }
            }
        }
        return s;
    }

    private Snapshot query(long now) {
        return tx.call(em -> {
            Map<SearchStatus, Long> searches = new EnumMap<>(SearchStatus.class);
            for (Object o : em.createNativeQuery("select status, count(*) from search group by status").getResultList()) {
                Object[] r = (Object[]) o;
                searches.put(SearchStatus.valueOf((String) r[0]), ((Number) r[1]).longValue());
            }
            Object[] t = (Object[]) em.createNativeQuery("select count(*), count(*) filter (where status = 'SUCCEEDED'), "
                    + "count(*) filter (where status = 'STOPPED'), count(*) filter (where status = 'FAILED'), "
                    + "count(*) filter (where status = 'RUNNING' and claimed_at is null) from trial").getSingleResult();
            Number speed = (Number) em.createNativeQuery("select coalesce(sum(e.images_per_second), 0) from trial t "
                    + "join lateral (select images_per_second from trial_epoch where trial_id = t.id order by epoch "
                    + "desc limit 1) e on true where t.status = 'RUNNING'").getSingleResult();
            return new Snapshot(now, searches, ((Number) t[0]).longValue(), Map.of("SUCCEEDED", ((Number) t[1])
                    .longValue(), "STOPPED", ((Number) t[2]).longValue(), "FAILED", ((Number) t[3]).longValue()),
                    ((Number) t[4]).longValue(), speed.doubleValue());
        });
    }
}
