package org.cellforge.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The trained network of a successful trial, serialized (ONNX with weights and provenance). */
@Entity
@Table(name = "trial_checkpoint")
public class TrialCheckpointEntity {

    @Id
    @Column(name = "trial_id")
    public Long trialId;

    /** The serialization, such as {@code onnx}. */
    @Column(nullable = false)
    public String format;

    @Column(nullable = false)
    public byte[] model;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
