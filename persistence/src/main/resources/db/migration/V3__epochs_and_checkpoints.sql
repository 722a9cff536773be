-- What each epoch of a trial measured, as the evaluator reports it.
CREATE TABLE trial_epoch (
    trial_id            BIGINT           NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    epoch               INTEGER          NOT NULL CHECK (epoch > 0),
    train_loss          DOUBLE PRECISION NOT NULL,
    train_accuracy      DOUBLE PRECISION NOT NULL,
    validation_accuracy DOUBLE PRECISION NOT NULL,
    seconds             DOUBLE PRECISION NOT NULL,
    images_per_second   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (trial_id, epoch)
);

-- The trained network of a successful trial, as an ONNX model with its weights and provenance.
-- Kept apart from the trial row so that listing trials never reads model bytes.
CREATE TABLE trial_checkpoint (
    trial_id   BIGINT      PRIMARY KEY REFERENCES trial (id) ON DELETE CASCADE,
    format     VARCHAR(16) NOT NULL,
    model      BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
