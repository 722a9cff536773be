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

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What an operator watches, on {@code /q/metrics}: searches by status, trials stored and by status,
 * trials waiting for a worker, and the images per second the running trials train. Read from
 * the database, so the numbers cover every process on it (workers, other servers, command-line
 * searches), not only this one; one set of queries serves a scrape, however many meters it reads,
 * and is reused for {@link #FRESH}. No meter has a tag per search or per request path, so the number
 * of series stays fixed.
 */
@ApplicationScoped
public class SearchMetrics {

    /** How long one reading of the database serves scrapes. */
    static final Duration FRESH = Duration.ofSeconds(5);

    /** Trial statuses, as tags of {@code cellforge.trials}. */
    private static final List<String> STATUSES = List.of("RUNNING", "SUCCEEDED", "STOPPED", "FAILED");

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
     * @param byStatus trials by status
     * @param waiting trials stored for a worker that no worker has taken up yet
     * @param imagesPerSecond the latest epoch's training throughput of each running trial, summed
     */
    record Snapshot(long at, Map<SearchStatus, Long> searches, long trials, Map<String, Long> byStatus, long waiting,
            double imagesPerSecond) {
    }

    void onStart(@Observes StartupEvent event) {
        for (SearchStatus s : SearchStatus.values()) {
            Gauge.builder("cellforge.searches", this, m -> m.read().searches().getOrDefault(s, 0L))
                    .description("Searches in each status").tag("status", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        // Gauges, not counters: rows are the truth, and they can go back (a resumed search trains its
        // cancelled trials again; a restarted supernet phase deletes its trials), which a counter must not.
        Gauge.builder("cellforge.trials.stored", this, m -> m.read().trials())
                .description("Trials stored (started), in every process on the database").register(registry);
        for (String status : STATUSES) {
            Gauge.builder("cellforge.trials", this, m -> m.read().byStatus().getOrDefault(status, 0L))
                    .description("Trials in each status").tag("status", status.toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("cellforge.trials.waiting", this, m -> m.read().waiting())
                .description("Trials waiting for a worker (the queue's depth)").register(registry);
        Gauge.builder("cellforge.training.images.per.second", this, m -> m.read().imagesPerSecond())
                .description("Images per second the running trials train, from each one's latest epoch")
                .register(registry);
    }

    /**
     * The newest reading, made now if the last one is older than {@link #FRESH}. A failed reading is kept
     * as zeros for as long, so a scrape while the database is away fails once, not once per meter.
     */
    Snapshot read() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.at() > FRESH.toNanos()) {
            synchronized (this) {
                s = snapshot;
                if (s == null || System.nanoTime() - s.at() > FRESH.toNanos()) {
                    try {
                        s = query();
                    } catch (RuntimeException e) {
                        s = new Snapshot(System.nanoTime(), Map.of(), 0, Map.of(), 0, 0);
                    }
                    snapshot = s;
                }
            }
        }
        return s;
    }

    private Snapshot query() {
        return tx.call(em -> {
            Map<SearchStatus, Long> searches = new EnumMap<>(SearchStatus.class);
            for (Object o : em.createNativeQuery("select status, count(*) from search group by status").getResultList()) {
                Object[] r = (Object[]) o;
                searches.put(SearchStatus.valueOf((String) r[0]), ((Number) r[1]).longValue());
            }
            Map<String, Long> byStatus = new java.util.HashMap<>();
            long all = 0;
            for (Object o : em.createNativeQuery("select status, count(*) from trial group by status").getResultList()) {
                Object[] r = (Object[]) o;
                byStatus.put((String) r[0], ((Number) r[1]).longValue());
                all += ((Number) r[1]).longValue();
            }
            // Waiting: trials of stand-alone searches handed to workers and not taken up; weight-sharing
            // searches measure their trials in the coordinator, which never claims them.
            Number waiting = (Number) em.createNativeQuery("select count(*) from trial t join search s on s.id = "
                    + "t.search_id where t.status = 'RUNNING' and t.claimed_at is null and s.mode = 'standalone' "
                    + "and s.status in ('RUNNING', 'PAUSED')").getSingleResult();
            // Only trials of searches that are live: a crashed process's RUNNING rows keep a stale last epoch.
            Number speed = (Number) em.createNativeQuery("select coalesce(sum(e.images_per_second), 0) from trial t "
                    + "join search s on s.id = t.search_id and s.status in ('RUNNING', 'PAUSED') "
                    + "join lateral (select images_per_second from trial_epoch where trial_id = t.id order by epoch "
                    + "desc limit 1) e on true where t.status = 'RUNNING'").getSingleResult();
            return new Snapshot(System.nanoTime(), searches, all, byStatus, waiting.longValue(), speed.doubleValue());
        });
    }
}
