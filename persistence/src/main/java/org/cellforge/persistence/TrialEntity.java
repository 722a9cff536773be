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

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TrialStatus status;

    /** Stand-alone training, validation split; null unless succeeded. */
    @Column(name = "validation_accuracy")
    public Double validationAccuracy;

    public Long parameters;

    public Double seconds;

    public String failure;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
