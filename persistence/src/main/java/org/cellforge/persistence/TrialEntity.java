package org.cellforge.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.cellforge.engine.TrialStatus;

/** One evaluated architecture of a search. */
@Entity
@Table(name = "trial")
public class TrialEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "search_id", nullable = false)
    public SearchEntity search;

    /** One-based position in the search. */
    @Column(nullable = false)
    public int number;

    /** The public text form of the architecture; unique within a search. */
    @Column(nullable = false)
    public String arch;

    /** Hash of the canonical form: equal for trials that compute the same function. */
    public String canonical;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TrialStatus status;

    /** Stand-alone training, validation split; null unless succeeded or stopped (then after fewer epochs). */
    @Column(name = "validation_accuracy")
    public Double validationAccuracy;

    /** Accuracy with weights inherited from the supernet (weight-sharing searches); never stand-alone. */
    @Column(name = "supernet_estimate")
    public Double supernetEstimate;

    public Long parameters;

    /** Multiply-accumulates per image. */
    public Long flops;

    /** Epochs trained (fewer than the search's for a stopped trial). */
    public Integer epochs;

    public Double seconds;

    public String failure;

    /** Whether the search's stored controller state has seen this trial's result. */
    @Column(nullable = false)
    public boolean told;

    /** Times a worker took it up; more than one when a worker stopped while training it. */
    @Column(nullable = false)
    public int attempts;

    /** Arch strings of proposals of the same function made while it trained (JSON list), or null. */
    public String repeats;

    /** The worker that trained it last: host and process. */
    public String worker;

    /** When a worker last took it up. */
    @Column(name = "claimed_at")
    public Instant claimedAt;

    /** When its result was told to the controller. */
    @Column(name = "told_at")
    public Instant toldAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
