-- Trials are trained by workers, possibly in other processes, and their results told to the search's
-- controller by the process coordinating it. A trial is told once the controller state stored with
-- its search has seen its result; a coordinator that takes a search over tells the rest.
ALTER TABLE trial ADD COLUMN told BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE trial SET told = TRUE WHERE status <> 'RUNNING';
-- Deliveries to a worker: more than one means a worker stopped while it trained the trial.
ALTER TABLE trial ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
-- Proposals of the same function made while it trained (JSON list of arch strings), told its result too.
ALTER TABLE trial ADD COLUMN repeats TEXT;
-- The worker that trained it last (host and process), for whoever follows a distributed search; when it
-- took the trial up, and when its result was told: the time a trial waits for a worker and for its
-- coordinator.
ALTER TABLE trial ADD COLUMN worker TEXT;
ALTER TABLE trial ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE trial ADD COLUMN told_at TIMESTAMPTZ;
CREATE INDEX trial_untold_idx ON trial (search_id) WHERE NOT told;

-- A search made by a command-line process is coordinated by that process, which takes its lock right
-- after storing it; until this time no server takes it up (after it, one left QUEUED is anybody's).
ALTER TABLE search ADD COLUMN reserved_until TIMESTAMPTZ;
