package org.cellforge.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import org.cellforge.engine.SearchStatus;
import org.cellforge.engine.TrialStatus;

/** Queries over searches, trials and their results, inside a transaction the caller owns. */
public final class SearchRepository {

    private final EntityManager em;

    /** Queries through {@code em}, which must be in a transaction. */
    public SearchRepository(EntityManager em) {
        this.em = em;
    }

    /** Stores a new search and assigns its id. */
    public SearchEntity persist(SearchEntity search) {
        em.persist(search);
        em.flush();
        return search;
    }

    /** The search with {@code id}. */
    public Optional<SearchEntity> find(long id) {
        return Optional.ofNullable(em.find(SearchEntity.class, id));
    }

    /**
     * The search with {@code id}, read under a row lock held to the end of the transaction: the REST
     * service, the search's coordinator and its workers change one search from different processes.
     */
    public Optional<SearchEntity> lock(long id) {
        return Optional.ofNullable(em.find(SearchEntity.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    /** The status of a search, without loading it. */
    public Optional<SearchStatus> status(long id) {
        return em.createQuery("select s.status from SearchEntity s where s.id = :id", SearchStatus.class)
                .setParameter("id", id)
                .getResultStream()
                .findFirst();
    }

    /**
     * Removes an ended search (SUCCEEDED, FAILED or INTERRUPTED) and, by the schema's cascades, its
     * trials, epochs, checkpoints, retrainings and supernet records, in the caller's transaction: all
     * or nothing. A search in any other state is left as it is.
     *
     * @return whether it was removed
     */
    public boolean deleteEnded(long id) {
        return em.createNativeQuery("delete from search where id = ?1 and status in ('SUCCEEDED', 'FAILED', "
                + "'INTERRUPTED')").setParameter(1, id).executeUpdate() == 1;
    }

    /**
     * Bytes of the stored checkpoint of a search's trials, by trial number; trials without one are
     * absent. PostgreSQL knows a value's length without reading it, so this costs no model's bytes.
     *
     * @param numbers the trials wanted, or null for all of the search's
     */
    public java.util.Map<Integer, Long> checkpointSizes(long searchId, java.util.Collection<Integer> numbers) {
        if (numbers != null && numbers.isEmpty()) {
            return java.util.Map.of();
        }
        var q = em.createNativeQuery("select t.number, octet_length(c.model) from trial t join trial_checkpoint c "
                + "on c.trial_id = t.id where t.search_id = ?1" + (numbers == null ? "" : " and t.number in (?2)"),
                Object[].class).setParameter(1, searchId);
        if (numbers != null) {
            q.setParameter(2, numbers);
        }
        java.util.Map<Integer, Long> sizes = new java.util.HashMap<>();
        for (Object row : q.getResultList()) {
            Object[] r = (Object[]) row;
            sizes.put(((Number) r[0]).intValue(), ((Number) r[1]).longValue());
        }
        return sizes;
    }

    /**
     * Removes the checkpoints of a search's trials except those of the {@code keep} best (highest
     * stand-alone validation accuracy, earlier trial first on ties) and, unless {@code keep} is 0, of
     * the trials on its Pareto fronts of accuracy against parameters and against FLOPs: a
     * multi-objective search's result is its front, whose smaller networks users export too. In the
     * caller's transaction.
     *
     * @return the checkpoints removed and their bytes
     */
    public long[] pruneCheckpoints(long searchId, int keep) {
        List<Object[]> measured = em.createNativeQuery("select t.id, t.validation_accuracy, t.parameters, t.flops "
                        + "from trial t where t.search_id = ?1 and t.validation_accuracy is not null "
                        + "order by t.validation_accuracy desc, t.number", Object[].class)
                .setParameter(1, searchId).getResultList();
        java.util.Set<Long> kept = new java.util.HashSet<>();
        for (int i = 0; i < Math.min(keep, measured.size()); i++) {
            kept.add(((Number) measured.get(i)[0]).longValue());
        }
        if (keep > 0) {
            kept.addAll(front(measured, 2));
            kept.addAll(front(measured, 3));
        }
        // No trial has id -1: it keeps the list from being empty, which SQL's "in ()" cannot be.
        kept.add(-1L);
        Object[] r = (Object[]) em.createNativeQuery("with removed as (delete from trial_checkpoint c using trial t "
                        + "where c.trial_id = t.id and t.search_id = ?1 and t.id not in (?2) "
                        + "returning octet_length(c.model) as bytes) select count(*), coalesce(sum(bytes), 0) from removed",
                        Object[].class)
                .setParameter(1, searchId).setParameter(2, List.copyOf(kept)).getSingleResult();
        return new long[] {((Number) r[0]).longValue(), ((Number) r[1]).longValue()};
    }

    /**
     * Ids of the rows no other row dominates in accuracy (column 1, higher is better) and the cost in
     * column {@code cost} (lower is better); rows without that cost are left out.
     *
     * @param byAccuracy rows sorted by accuracy, highest first
     */
    static java.util.Set<Long> front(List<Object[]> byAccuracy, int cost) {
        List<Object[]> rows = byAccuracy.stream().filter(r -> r[cost] != null)
                .sorted(java.util.Comparator.comparingDouble((Object[] r) -> -((Number) r[1]).doubleValue())
                        .thenComparingLong(r -> ((Number) r[cost]).longValue()))
                .toList();
        java.util.Set<Long> front = new java.util.HashSet<>();
        long cheapest = Long.MAX_VALUE;
        for (Object[] r : rows) {
            // Every earlier row is at least as accurate: this one is on the front only if it is cheaper than all of them.
            long c = ((Number) r[cost]).longValue();
            if (c < cheapest) {
                front.add(((Number) r[0]).longValue());
                cheapest = c;
            }
        }
        return front;
    }

    /** Ids of RUNNING and RETRAINING searches, and of QUEUED ones no process has reserved, oldest first. */
    public List<Long> live() {
        return em.createQuery("select s.id from SearchEntity s where s.status in :started or (s.status = :queued "
                        + "and (s.reservedUntil is null or s.reservedUntil < :now)) order by s.id", Long.class)
                .setParameter("started", List.of(SearchStatus.RUNNING, SearchStatus.RETRAINING))
                .setParameter("queued", SearchStatus.QUEUED)
                .setParameter("now", java.time.Instant.now())
                .getResultList();
    }

    /** Trials of a search whose results its controller was not told yet. */
    public List<TrialEntity> untold(long searchId) {
        return em.createQuery("select t from TrialEntity t where t.search.id = :id and t.told = false "
                        + "order by t.number", TrialEntity.class)
                .setParameter("id", searchId)
                .getResultList();
    }

    /** The stored epochs of a trial, in order. */
    public List<TrialEpochEntity> trialEpochs(long trialId) {
        return em.createQuery("select e from TrialEpochEntity e where e.trialId = :id order by e.epoch",
                        TrialEpochEntity.class)
                .setParameter("id", trialId)
                .getResultList();
    }

    /** The trial with {@code id}, read under a row lock held to the end of the transaction. */
    public Optional<TrialEntity> findTrialForUpdate(long id) {
        return Optional.ofNullable(em.find(TrialEntity.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    /** The id of the search trial {@code trialId} belongs to. */
    public long searchIdOf(long trialId) {
        return ((Number) em.createNativeQuery("select search_id from trial where id = ?1").setParameter(1, trialId)
                .getSingleResult()).longValue();
    }

    /** Removes what an earlier attempt at a trial stored: its epochs and checkpoint. */
    public void forgetAttempt(long trialId) {
        em.createNativeQuery("delete from trial_epoch where trial_id = ?1").setParameter(1, trialId).executeUpdate();
        em.createNativeQuery("delete from trial_checkpoint where trial_id = ?1").setParameter(1, trialId)
                .executeUpdate();
    }

    /**
     * Makes the untold trials of a search that were failed for {@code reason} RUNNING again.
     *
     * @return their ids
     */
    @SuppressWarnings("unchecked")
    public List<Long> rerunCancelled(long searchId, String reason) {
        List<Number> ids = em.createNativeQuery("update trial set status = 'RUNNING', failure = null, "
                        + "finished_at = null where search_id = ?1 and not told and status = 'FAILED' "
                        + "and failure = ?2 returning id")
                .setParameter(1, searchId)
                .setParameter(2, reason)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * Removes the retrainings of a search that never ended.
     *
     * @return trial numbers whose retraining ended
     */
    @SuppressWarnings("unchecked")
    public java.util.Set<Integer> restartRetraining(long searchId) {
        em.createNativeQuery("delete from retrain where search_id = ?1 and status = 'RUNNING'")
                .setParameter(1, searchId).executeUpdate();
        List<Number> done = em.createNativeQuery("select trial_number from retrain where search_id = ?1")
                .setParameter(1, searchId).getResultList();
        return done.stream().map(Number::intValue).collect(java.util.stream.Collectors.toSet());
    }

    /** Searches, newest first. */
    public List<SearchEntity> list(int offset, int limit) {
        return list(null, offset, limit);
    }

    /** Searches in {@code status} (any if null), newest first. */
    public List<SearchEntity> list(SearchStatus status, int offset, int limit) {
        var q = em.createQuery("select s from SearchEntity s" + (status == null ? "" : " where s.status = :status")
                + " order by s.id desc", SearchEntity.class)
                .setFirstResult(offset)
                .setMaxResults(limit);
        if (status != null) {
            q.setParameter("status", status);
        }
        return q.getResultList();
    }

    /** Trials of a search in the order they were proposed. */
    public List<TrialEntity> trials(long searchId) {
        // Read-only: Hibernate keeps no copy of each row to compare at commit, which for a search of
        // 15,625 trials was a third of the time its detail took.
        return em.createQuery("select t from TrialEntity t where t.search.id = :id order by t.number",
                        TrialEntity.class)
                .setParameter("id", searchId)
                .setHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true)
                .getResultList();
    }

    /** The trial with {@code id}. */
    public Optional<TrialEntity> findTrial(long id) {
        return Optional.ofNullable(em.find(TrialEntity.class, id));
    }

    /** Trial {@code number} of a search. */
    public Optional<TrialEntity> trial(long searchId, int number) {
        return em.createQuery("select t from TrialEntity t where t.search.id = :id and t.number = :n",
                        TrialEntity.class)
                .setParameter("id", searchId)
                .setParameter("n", number)
                .getResultStream()
                .findFirst();
    }

    /**
     * The trial trained to the end with the highest stand-alone validation accuracy (earliest on ties);
     * trials with only a supernet estimate are not candidates.
     */
    public Optional<TrialEntity> best(long searchId) {
        return em.createQuery("select t from TrialEntity t where t.search.id = :id and t.status = :ok "
                        + "and t.validationAccuracy is not null order by t.validationAccuracy desc, t.number asc",
                        TrialEntity.class)
                .setParameter("id", searchId)
                .setParameter("ok", TrialStatus.SUCCEEDED)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /** The orders a page of trials can be read in; ties go by trial number, so pages never overlap. */
    public enum TrialOrder {
        /** Proposal order. */
        NUMBER("t.number"),
        /** Stand-alone validation accuracy; trials without one come last either way. */
        ACCURACY("t.validationAccuracy"),
        /** Trainable parameters. */
        PARAMETERS("t.parameters"),
        /** Wall time of the trial. */
        SECONDS("t.seconds");

        private final String path;

        TrialOrder(String path) {
            this.path = path;
        }
    }

    /**
     * One page of a search's trials, read with a limit so that only the page leaves the database.
     *
     * @param status only trials in this state, or all if null
     */
    public List<TrialEntity> trialPage(long searchId, TrialStatus status, TrialOrder order, boolean descending,
            int offset, int limit) {
        String direction = descending ? " desc" : " asc";
        // Ties in proposal order either way, so that a page is read straight from the V8 index of its
        // usual direction (accuracy best first; parameters and seconds smallest first).
        String sort = order == TrialOrder.NUMBER ? "t.number" + direction
                : order.path + direction + " nulls last, t.number asc";
        var q = em.createQuery("select t from TrialEntity t where t.search.id = :id"
                        + (status == null ? "" : " and t.status = :status") + " order by " + sort, TrialEntity.class)
                .setParameter("id", searchId)
                .setFirstResult(offset)
                .setMaxResults(limit);
        if (status != null) {
            q.setParameter("status", status);
        }
        return q.getResultList();
    }

    /** How many trials of a search there are, in {@code status} if it is not null. */
    public long countTrials(long searchId, TrialStatus status) {
        var q = em.createQuery("select count(t) from TrialEntity t where t.search.id = :id"
                + (status == null ? "" : " and t.status = :status"), Long.class).setParameter("id", searchId);
        if (status != null) {
            q.setParameter("status", status);
        }
        return q.getSingleResult();
    }

    /**
     * What a chart shows of a trial, without its epochs, failure text or controller state.
     *
     * @param finishedAt null while it runs
     */
    public record TrialPoint(int number, String arch, TrialStatus status, Double validationAccuracy,
            Double supernetEstimate, Long parameters, Long flops, java.time.Instant finishedAt) {

        /** The chart point of a trial read whole. */
        public static TrialPoint of(TrialEntity t) {
            return new TrialPoint(t.number, t.arch, t.status, t.validationAccuracy, t.supernetEstimate, t.parameters,
                    t.flops, t.finishedAt);
        }
    }

    /** Every trial of a search as a chart point, in proposal order. */
    public List<TrialPoint> points(long searchId) {
        return em.createQuery("select new org.cellforge.persistence.SearchRepository$TrialPoint(t.number, t.arch, "
                        + "t.status, t.validationAccuracy, t.supernetEstimate, t.parameters, t.flops, t.finishedAt) "
                        + "from TrialEntity t where t.search.id = :id order by t.number", TrialPoint.class)
                .setParameter("id", searchId)
                .getResultList();
    }

    /** The epochs of trials {@code numbers} of a search, by trial number, each in epoch order. */
    public java.util.Map<Integer, List<TrialEpochEntity>> epochsOf(long searchId, java.util.Collection<Integer> numbers) {
        java.util.Map<Integer, List<TrialEpochEntity>> out = new java.util.TreeMap<>();
        if (numbers.isEmpty()) {
            return out;
        }
        List<Object[]> rows = em.createQuery("select t.number, e from TrialEpochEntity e, TrialEntity t "
                        + "where e.trialId = t.id and t.search.id = :id and t.number in :numbers "
                        + "order by t.number, e.epoch", Object[].class)
                .setParameter("id", searchId)
                .setParameter("numbers", numbers)
                .getResultList();
        for (Object[] r : rows) {
            out.computeIfAbsent((Integer) r[0], n -> new java.util.ArrayList<>()).add((TrialEpochEntity) r[1]);
        }
        return out;
    }

    /**
     * What a list of searches shows of each, read for a whole page of searches in two statements.
     *
     * @param finished trials that ended
     * @param bestTrial number of the trial trained to the end with the best stand-alone validation accuracy
     *        (earliest on ties), or null
     * @param bestTest that trial's newest retrained test accuracy, or null
     */
    public record SearchTotals(long searchId, int finished, Integer bestTrial, String bestArch,
            Double bestValidation, Double bestTest) {
    }

    /** {@link SearchTotals} of searches {@code ids}, by id (every id present). */
    @SuppressWarnings("unchecked")
    public java.util.Map<Long, SearchTotals> totals(java.util.Collection<Long> ids) {
        java.util.Map<Long, SearchTotals> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        java.util.Map<Long, Integer> finished = new java.util.HashMap<>();
        for (Object o : em.createNativeQuery("select search_id, count(*) from trial where search_id in (?1) "
                + "and status <> 'RUNNING' group by search_id").setParameter(1, ids).getResultList()) {
            Object[] r = (Object[]) o;
            finished.put(((Number) r[0]).longValue(), ((Number) r[1]).intValue());
        }
        for (Object o : em.createNativeQuery("select b.search_id, b.number, b.arch, b.validation_accuracy, "
                + "(select r.test_accuracy from retrain r where r.search_id = b.search_id and r.trial_number = b.number "
                + "and r.test_accuracy is not null order by r.id desc limit 1) from (select distinct on (search_id) "
                + "search_id, number, arch, validation_accuracy from trial where search_id in (?1) and status = "
                + "'SUCCEEDED' and validation_accuracy is not null order by search_id, validation_accuracy desc, number) b")
                .setParameter(1, ids).getResultList()) {
            Object[] r = (Object[]) o;
            long id = ((Number) r[0]).longValue();
            out.put(id, new SearchTotals(id, finished.getOrDefault(id, 0), ((Number) r[1]).intValue(), (String) r[2],
                    number(r[3]), number(r[4])));
        }
        for (long id : ids) {
            out.putIfAbsent(id, new SearchTotals(id, finished.getOrDefault(id, 0), null, null, null, null));
        }
        return out;
    }

    /** Stores the metrics of one epoch. */
    public void persistEpoch(TrialEpochEntity epoch) {
        em.persist(epoch);
    }

    /** The epochs of the trials of a search, by trial and epoch. */
    public List<TrialEpochEntity> epochs(long searchId) {
        return em.createQuery("select e from TrialEpochEntity e where e.trialId in "
                + "(select t.id from TrialEntity t where t.search.id = :id) order by e.trialId, e.epoch",
                TrialEpochEntity.class).setParameter("id", searchId).getResultList();
    }

    /** Stores a trial's trained network. */
    public void persistCheckpoint(TrialCheckpointEntity checkpoint) {
        em.persist(checkpoint);
    }

    /** The trained network of a trial, if one was kept. */
    public Optional<TrialCheckpointEntity> checkpoint(long trialId) {
        return Optional.ofNullable(em.find(TrialCheckpointEntity.class, trialId));
    }

    /** Stores a new trial of {@code search}. */
    public TrialEntity persistTrial(TrialEntity trial) {
        em.persist(trial);
        em.flush();
        return trial;
    }

    /** Stores a final retraining and assigns its id. */
    public RetrainEntity persistRetrain(RetrainEntity retrain) {
        em.persist(retrain);
        em.flush();
        return retrain;
    }

    /** The final retraining with {@code id}. */
    public Optional<RetrainEntity> findRetrain(long id) {
        return Optional.ofNullable(em.find(RetrainEntity.class, id));
    }

    /** The final retrainings of a search, in the order they ran. */
    public List<RetrainEntity> retrains(long searchId) {
        return em.createQuery("select r from RetrainEntity r where r.searchId = :id order by r.id",
                RetrainEntity.class).setParameter("id", searchId).getResultList();
    }

    /** Stores a retrained network. */
    public void persistRetrainCheckpoint(RetrainCheckpointEntity checkpoint) {
        em.persist(checkpoint);
    }

    /** The retrained network of a final evaluation, if one was kept. */
    public Optional<RetrainCheckpointEntity> retrainCheckpoint(long retrainId) {
        return Optional.ofNullable(em.find(RetrainCheckpointEntity.class, retrainId));
    }

    /** Marks the trials and retrainings of a search that are still running as failed with {@code reason}. */
    public void failRunning(long searchId, String reason) {
        em.createQuery("update TrialEntity t set t.status = :failed, t.failure = :reason, "
                        + "t.finishedAt = current_timestamp where t.search.id = :id and t.status = :running")
                .setParameter("failed", TrialStatus.FAILED)
                .setParameter("reason", reason)
                .setParameter("id", searchId)
                .setParameter("running", TrialStatus.RUNNING)
                .executeUpdate();
        em.createQuery("update RetrainEntity r set r.status = :failed, r.failure = :reason, "
                        + "r.finishedAt = current_timestamp where r.searchId = :id and r.status = :running")
                .setParameter("failed", TrialStatus.FAILED)
                .setParameter("reason", reason)
                .setParameter("id", searchId)
                .setParameter("running", TrialStatus.RUNNING)
                .executeUpdate();
    }

    /**
     * One stored epoch of a search's supernet.
     *
     * @param alpha DARTS's architecture weights as JSON, null otherwise
     */
    public record SupernetEpochRow(int epoch, int epochs, Double trainLoss, Double trainAccuracy, Double estimate,
            Double seconds, Double imagesPerSecond, String alpha) {
    }

    /** Stores (or replaces) an epoch of a search's supernet training. */
    public void persistSupernetEpoch(long searchId, SupernetEpochRow e) {
        em.createNativeQuery("delete from supernet_epoch where search_id = ?1 and epoch = ?2")
                .setParameter(1, searchId).setParameter(2, e.epoch()).executeUpdate();
        em.createNativeQuery("insert into supernet_epoch (search_id, epoch, epochs, train_loss, train_accuracy, "
                        + "estimate, seconds, images_per_second, alpha, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                        + "?8, ?9, now())")
                .setParameter(1, searchId).setParameter(2, e.epoch()).setParameter(3, e.epochs())
                .setParameter(4, e.trainLoss()).setParameter(5, e.trainAccuracy()).setParameter(6, e.estimate())
                .setParameter(7, e.seconds()).setParameter(8, e.imagesPerSecond()).setParameter(9, e.alpha())
                .executeUpdate();
    }

    /** The supernet epochs of a search, in order. */
    public List<SupernetEpochRow> supernetEpochs(long searchId) {
        List<?> rows = em.createNativeQuery("select epoch, epochs, train_loss, train_accuracy, estimate, seconds, "
                + "images_per_second, alpha from supernet_epoch where search_id = ?1 order by epoch")
                .setParameter(1, searchId).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new SupernetEpochRow(((Number) r[0]).intValue(),
                ((Number) r[1]).intValue(), number(r[2]), number(r[3]), number(r[4]), number(r[5]), number(r[6]),
                (String) r[7])).toList();
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    /** Stores a supernet checkpoint and removes all but the newest {@code keep} of the search. */
    public void persistSupernetCheckpoint(long searchId, int epoch, byte[] state, String controllerState, int keep) {
        em.createNativeQuery("delete from supernet_checkpoint where search_id = ?1 and epoch = ?2")
                .setParameter(1, searchId).setParameter(2, epoch).executeUpdate();
        em.createNativeQuery("insert into supernet_checkpoint (search_id, epoch, state, controller_state, created_at) "
                        + "values (?1, ?2, ?3, ?4, now())")
                .setParameter(1, searchId).setParameter(2, epoch).setParameter(3, state)
                .setParameter(4, controllerState).executeUpdate();
        em.createNativeQuery("delete from supernet_checkpoint where search_id = ?1 and epoch not in (select epoch "
                        + "from supernet_checkpoint where search_id = ?1 order by epoch desc limit ?2)")
                .setParameter(1, searchId).setParameter(2, keep).executeUpdate();
    }

    /**
     * The newest supernet checkpoint of a search.
     *
     * @return epoch, state bytes and controller state (JSON or null)
     */
    public Optional<Object[]> latestSupernetCheckpoint(long searchId) {
        List<?> rows = em.createNativeQuery("select epoch, state, controller_state from supernet_checkpoint where "
                + "search_id = ?1 order by epoch desc limit 1").setParameter(1, searchId).getResultList();
        return rows.stream().map(r -> (Object[]) r).findFirst();
    }

    /** Removes what a search stored after supernet epoch {@code epoch}: trials, retrainings, later epochs. */
    public void forgetAfter(long searchId, int epoch) {
        em.createNativeQuery("delete from trial where search_id = ?1").setParameter(1, searchId).executeUpdate();
        em.createNativeQuery("delete from retrain where search_id = ?1").setParameter(1, searchId).executeUpdate();
        em.createNativeQuery("delete from supernet_epoch where search_id = ?1 and epoch > ?2")
                .setParameter(1, searchId).setParameter(2, epoch).executeUpdate();
        em.createNativeQuery("delete from supernet_checkpoint where search_id = ?1 and epoch > ?2")
                .setParameter(1, searchId).setParameter(2, epoch).executeUpdate();
    }
}
