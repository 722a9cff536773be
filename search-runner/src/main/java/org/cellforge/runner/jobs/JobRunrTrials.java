package org.cellforge.runner.jobs;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import org.cellforge.engine.TrialExecutor;
import org.cellforge.engine.TrialWorker;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * Trials as JobRunr jobs in the application's PostgreSQL. The job engine keeps them through crashes,
 * hands each to one worker at a time, notices a worker that stopped (its server misses
 * {@value #TIMEOUT_POLLS} polls) and delivers its job again, at most {@value #ATTEMPTS} times in all.
 * Every process that coordinates or trains opens one of these on the same database.
 */
public final class JobRunrTrials implements TrialExecutor, AutoCloseable {

    /** Deliveries of a trial before it is given up. */
    public static final int ATTEMPTS = 3;

    /** Polls a worker may miss before its jobs are taken up again (the engine's default). */
    static final int TIMEOUT_POLLS = 4;

    /** How often workers look for jobs: JobRunr's shortest on SQL storage. */
    static final Duration POLL = Duration.ofSeconds(5);

    /** High bits of the job ids of trials, so that a trial's job id follows from the trial's id. */
    private static final long TRIAL_JOBS = 0x4346_5452_4941_4C00L;

    private static final System.Logger LOG = System.getLogger(JobRunrTrials.class.getName());

    /** The advisory lock key under which processes set up JobRunr's tables ("cfjobrun" in ASCII). */
    private static final long MIGRATION_LOCK = 0x63666A6F6272756EL;

    private final StorageProvider storage;
    private final JsonMapper json;
    private final JobRequestScheduler scheduler;
    private final Object changed = new Object();
    private BackgroundJobServer server;
    private volatile boolean closing;
    private int cachedIdle;
    private long cachedAt;

    private JobRunrTrials(StorageProvider storage, JsonMapper json) {
        this.storage = storage;
        this.json = json;
        this.scheduler = new JobRequestScheduler(storage);
    }

    /**
     * Opens the job engine on {@code dataSource}, creating or updating its tables. JobRunr's own
     * migrations take no lock, and a server and workers starting together on a new database both
     * created its first table (one then failed with "relation jobrunr_jobs already exists"), so
     * processes open it one at a time under a PostgreSQL advisory lock.
     */
    public static JobRunrTrials on(DataSource dataSource) {
        JsonMapper json = new JacksonJsonMapper();
        StorageProvider storage;
        try (Connection lock = dataSource.getConnection(); Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                storage = new PostgresStorageProvider(dataSource);
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock the job tables for their set-up: " + e.getMessage(), e);
        }
        storage.setJobMapper(new JobMapper(json));
        return new JobRunrTrials(storage, json);
    }

    /**
     * Starts training trials in this process, {@code slots} at a time, with {@code worker}; each job
     * first runs {@code checkDataset} with its search's id, which throws if this process's data differs.
     */
    public synchronized void startWorker(int slots, TrialWorker worker, LongConsumer checkDataset, String name) {
        if (server != null) {
            throw new IllegalStateException("this process trains trials already");
        }
        TrialJobHandler handler = new TrialJobHandler(worker, checkDataset, this::signal);
        JobActivator activator = new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                return type.isInstance(handler) ? type.cast(handler) : null;
            }
        };
        server = new BackgroundJobServer(storage, json, activator, BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andName(name)
                // Platform threads: OpenMP's thread count, which a training sets, belongs to a native thread,
                // and a virtual thread moves between carriers at every database call of its epochs.
                .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(slots,
                        BackgroundJobServerThreadType.PlatformThreads))
                .andPollInterval(POLL)
                .andServerTimeoutPollIntervalMultiplicand(TIMEOUT_POLLS));
        server.start();
    }

    /** The job engine's storage, for tests. */
    StorageProvider storage() {
        return storage;
    }

    /** The job id of trial {@code trialId}: handing a trial over twice finds its job. */
    static UUID jobId(long trialId) {
        return new UUID(TRIAL_JOBS, trialId);
    }

    @Override
    public int idleSlots() {
        synchronized (this) {
            // Counting reads three tables; a coordinator asks every half second.
            if (System.nanoTime() - cachedAt < 1_000_000_000L) {
                return cachedIdle;
            }
        }
        Instant alive = Instant.now().minus(POLL.multipliedBy(TIMEOUT_POLLS));
        long slots = 0;
        for (BackgroundJobServerStatus s : storage.getBackgroundJobServers()) {
            if (s.isRunning() && s.getLastHeartbeat().isAfter(alive)) {
                slots += s.getWorkerPoolSize();
            }
        }
        long waiting = storage.countJobs(StateName.ENQUEUED) + storage.countJobs(StateName.PROCESSING)
                + storage.countJobs(StateName.SCHEDULED);
        int idle = (int) Math.max(0, slots - waiting);
        synchronized (this) {
            cachedIdle = idle;
            cachedAt = System.nanoTime();
        }
        return idle;
    }

    @Override
    public void submit(long searchId, long trialId) {
        UUID id = jobId(trialId);
        Optional<StateName> state = state(id);
        if (state.isPresent()) {
            if (state.get() != StateName.SUCCEEDED && state.get() != StateName.DELETED) {
                // Queued, training, waiting to be delivered again, or given up (read by givenUp): left as it is.
                return;
            }
            // Its job ended without a result, as a job of a cancelled search does: the resumed trial needs a new one.
            storage.deletePermanently(id);
        }
        scheduler.enqueue(id, new TrialJob(searchId, trialId));
        BackgroundJobServer here;
        synchronized (this) {
            cachedAt = 0;
            here = server;
        }
        if (here != null && here.isRunning()) {
            // Workers look for jobs every few seconds, and when one of their threads frees up; this is the
            // latter's signal, so that a worker of this process takes the trial at once if it has room.
            here.getJobSteward().notifyThreadOccupied();
            here.getJobSteward().notifyThreadIdle();
        }
    }

    private Optional<StateName> state(UUID id) {
        try {
            return Optional.of(storage.getJobById(id).getState());
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void awaitChange(Duration timeout) throws InterruptedException {
        synchronized (changed) {
            changed.wait(Math.max(1, timeout.toMillis()));
        }
    }

    /** Wakes coordinators of this process: a trial trained here ended. */
    private void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
        synchronized (this) {
            cachedAt = 0;
        }
    }

    @Override
    public Optional<String> givenUp(long trialId) {
        Job job;
        try {
            job = storage.getJobById(jobId(trialId));
        } catch (JobNotFoundException e) {
            return Optional.of("its job is gone from the job engine");
        }
        if (job.getState() == StateName.FAILED) {
            String why = job.getLastJobStateOfType(FailedState.class).map(f -> f.getExceptionMessage() != null
                    ? f.getExceptionMessage() : f.getMessage()).orElse("it failed");
            return Optional.of("given up after " + ATTEMPTS + " deliveries to workers: " + why);
        }
        if (job.getState() == StateName.DELETED) {
            return Optional.of("its job was deleted from the job engine");
        }
        return Optional.empty();
    }

    /** A job is given up only after several deliveries, each a poll apart at least: one look per poll is enough. */
    @Override
    public Duration givenUpCheckInterval() {
        return POLL;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    /** Stops training here (jobs in progress are delivered again elsewhere) and closes the job engine. */
    @Override
    public synchronized void close() {
        closing = true;
        if (server != null) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping the trial worker failed", e);
            }
            server = null;
        }
        storage.close();
    }
}
