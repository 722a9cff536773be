package org.cellforge.runner.jobs;

import java.util.function.LongConsumer;

import org.cellforge.engine.SearchListener;
import org.cellforge.engine.TrialWorker;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Trains a trial when the job engine delivers its job. Throws only when the worker cannot do the job
 * (a different copy of the dataset, the database out of reach): the engine then delivers it again, up
 * to {@link JobRunrTrials#ATTEMPTS} times, possibly to another worker, before giving it up.
 */
public final class TrialJobHandler implements JobRequestHandler<TrialJob> {

    private final TrialWorker worker;
    private final LongConsumer checkDataset;
    private final Runnable ended;

    TrialJobHandler(TrialWorker worker, LongConsumer checkDataset, Runnable ended) {
        this.worker = worker;
        this.checkDataset = checkDataset;
        this.ended = ended;
    }

    @Override
    @Job(name = "cellforge trial", retries = JobRunrTrials.ATTEMPTS - 1)
    public void run(TrialJob job) {
        try {
            checkDataset.accept(job.getSearchId());
            worker.run(job.getTrialId(), SearchListener.none());
        } finally {
            ended.run();
        }
    }
}
