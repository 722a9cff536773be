package org.cellforge.persistence;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The metrics of one epoch of a trial. */
@Entity
@Table(name = "trial_epoch")
@IdClass(TrialEpochEntity.Key.class)
public class TrialEpochEntity {

    /** Primary key: trial and epoch. */
    public record Key(Long trialId, Integer epoch) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "trial_id")
    public Long trialId;

    @Id
    public Integer epoch;

    @Column(name = "train_loss", nullable = false)
    public double trainLoss;

    @Column(name = "train_accuracy", nullable = false)
    public double trainAccuracy;

    @Column(name = "validation_accuracy", nullable = false)
    public double validationAccuracy;

    @Column(nullable = false)
    public double seconds;

    @Column(name = "images_per_second", nullable = false)
    public double imagesPerSecond;
}
