-- Searches name their dataset as FORMAT:PATH (paths can be long) and record how trials train.
ALTER TABLE search ALTER COLUMN dataset TYPE TEXT;
ALTER TABLE search ADD COLUMN optimizer     VARCHAR(16)      NOT NULL DEFAULT 'sgd';
ALTER TABLE search ADD COLUMN learning_rate DOUBLE PRECISION NOT NULL DEFAULT 0.05 CHECK (learning_rate > 0);
ALTER TABLE search ADD COLUMN augmentation  VARCHAR(32)      NOT NULL DEFAULT 'none';
-- Native threads for training; 0 keeps the backend's default.
ALTER TABLE search ADD COLUMN threads       INTEGER          NOT NULL DEFAULT 0 CHECK (threads >= 0);
