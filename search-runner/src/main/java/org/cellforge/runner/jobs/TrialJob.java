package org.cellforge.runner.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The job of training one stored trial. It carries ids only: the worker reads the rest from the
 * database, so a job delivered late or twice trains what is stored, not what was meant once.
 */
public final class TrialJob implements JobRequest {

    private long searchId;
    private long trialId;

    /** For the job engine's JSON mapper. */
    TrialJob() {
    }

    TrialJob(long searchId, long trialId) {
        this.searchId = searchId;
        this.trialId = trialId;
    }

    /** The trial's search. */
    public long getSearchId() {
        return searchId;
    }

    /** The trial to train. */
    public long getTrialId() {
        return trialId;
    }

    @Override
    public Class<TrialJobHandler> getJobRequestHandler() {
        return TrialJobHandler.class;
    }
}
