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

    /** Searches, newest first. */
    public List<SearchEntity> list(int offset, int limit) {
        return em.createQuery("select s from SearchEntity s order by s.id desc", SearchEntity.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Trials of a search in the order they were proposed. */
    public List<TrialEntity> trials(long searchId) {
        return em.createQuery("select t from TrialEntity t where t.search.id = :id order by t.number",
                        TrialEntity.class)
                .setParameter("id", searchId)
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

    /** The trial trained to the end with the highest validation accuracy (earliest on ties). */
    public Optional<TrialEntity> best(long searchId) {
        return em.createQuery("select t from TrialEntity t where t.search.id = :id and t.status = :ok "
                        + "order by t.validationAccuracy desc, t.number asc", TrialEntity.class)
                .setParameter("id", searchId)
                .setParameter("ok", TrialStatus.SUCCEEDED)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
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
     * Marks searches and trials left running by a process that stopped as interrupted, so they
     * are not shown as live forever.
     *
     * @return number of searches marked
     */
    public int interruptUnfinished(String reason) {
        em.createQuery("update TrialEntity t set t.status = :failed, t.failure = :reason, t.finishedAt = current_timestamp "
                        + "where t.status = :running")
                .setParameter("failed", TrialStatus.FAILED)
                .setParameter("reason", reason)
                .setParameter("running", TrialStatus.RUNNING)
                .executeUpdate();
        em.createQuery("update RetrainEntity r set r.status = :failed, r.failure = :reason, "
                        + "r.finishedAt = current_timestamp where r.status = :running")
                .setParameter("failed", TrialStatus.FAILED)
                .setParameter("reason", reason)
                .setParameter("running", TrialStatus.RUNNING)
                .executeUpdate();
        return em.createQuery("update SearchEntity s set s.status = :interrupted, s.error = :reason, "
                        + "s.finishedAt = current_timestamp, s.version = s.version + 1 where s.status in :live")
                .setParameter("interrupted", SearchStatus.INTERRUPTED)
                .setParameter("reason", reason)
                .setParameter("live", List.of(SearchStatus.QUEUED, SearchStatus.RUNNING, SearchStatus.RETRAINING))
                .executeUpdate();
    }
}
