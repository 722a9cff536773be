package org.cellforge.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.cellforge.engine.TrialStatus;

/** The final evaluation of a chosen architecture: retrained on train+validation or the whole training file, tested once. */
@Entity
@Table(name = "retrain")
public class RetrainEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "search_id", nullable = false)
    public Long searchId;

    /** The trial whose architecture was retrained. */
    @Column(name = "trial_number", nullable = false)
    public int trialNumber;

    @Column(nullable = false)
    public String arch;

    /** RUNNING, SUCCEEDED or FAILED. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TrialStatus status;

    @Column(nullable = false)
    public int epochs;

    /** Retrained test accuracy; null unless succeeded. */
    @Column(name = "test_accuracy")
    public Double testAccuracy;

    @Column(name = "train_images")
    public Integer trainImages;

    @Column(name = "test_images")
    public Integer testImages;

    public Long parameters;

    public Long flops;

    public Double seconds;

    public String failure;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
