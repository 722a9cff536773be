-- Weight-sharing and DARTS searches: the mode and the supernet phase's settings.
ALTER TABLE search ADD COLUMN mode     VARCHAR(16) NOT NULL DEFAULT 'standalone';
ALTER TABLE search ADD COLUMN supernet TEXT        NOT NULL DEFAULT '{}';

-- A candidate's accuracy with weights inherited from the supernet. It never shares a column with
-- validation_accuracy, which is always stand-alone (trained on the candidate's own weights).
ALTER TABLE trial ADD COLUMN supernet_estimate DOUBLE PRECISION CHECK (supernet_estimate BETWEEN 0 AND 1);

-- One row per epoch of supernet training; alpha holds DARTS's architecture weights (softmax, JSON).
CREATE TABLE supernet_epoch (
    search_id         BIGINT           NOT NULL REFERENCES search (id) ON DELETE CASCADE,
    epoch             INTEGER          NOT NULL CHECK (epoch > 0),
    epochs            INTEGER          NOT NULL CHECK (epochs > 0),
    train_loss        DOUBLE PRECISION,
    train_accuracy    DOUBLE PRECISION,
    estimate          DOUBLE PRECISION,
    seconds           DOUBLE PRECISION,
    images_per_second DOUBLE PRECISION,
    alpha             TEXT,
    created_at        TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (search_id, epoch)
);

-- The newest few training states of a search's supernet, to resume from after an interruption.
CREATE TABLE supernet_checkpoint (
    search_id        BIGINT      NOT NULL REFERENCES search (id) ON DELETE CASCADE,
    epoch            INTEGER     NOT NULL CHECK (epoch > 0),
    state            BYTEA       NOT NULL,
    controller_state TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (search_id, epoch)
);
