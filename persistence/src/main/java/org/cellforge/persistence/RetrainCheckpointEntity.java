package org.cellforge.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The retrained network of a final evaluation (ONNX with weights and provenance). */
@Entity
@Table(name = "retrain_checkpoint")
public class RetrainCheckpointEntity {

    @Id
    @Column(name = "retrain_id")
    public Long retrainId;

    /** The serialization, such as {@code onnx}. */
    @Column(nullable = false)
    public String format;

    @Column(nullable = false)
    public byte[] model;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
