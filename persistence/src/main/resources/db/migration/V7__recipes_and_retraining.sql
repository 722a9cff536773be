-- How the final retraining differs from the trials' training (JSON; '{}' keeps the trials' recipe on
-- train+validation, as every search stored before this column did).
ALTER TABLE search ADD COLUMN retraining TEXT NOT NULL DEFAULT '{}';

-- The recipe a search was started from (JSON: name, version, description); null for searches that
-- were not started from one.
ALTER TABLE search ADD COLUMN recipe TEXT;
