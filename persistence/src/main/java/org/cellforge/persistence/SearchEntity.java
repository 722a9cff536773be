package org.cellforge.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.cellforge.engine.SearchStatus;

/** A search as stored: its request, its split and its lifecycle. */
@Entity
@Table(name = "search")
public class SearchEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String space;

    @Column(nullable = false)
    public String controller;

    @Column(name = "trial_budget", nullable = false)
    public int trialBudget;

    @Column(name = "epochs_per_trial", nullable = false)
    public int epochsPerTrial;

    @Column(nullable = false)
    public long seed;

    @Column(nullable = false)
    public int channels;

    @Column(name = "cells_per_stage", nullable = false)
    public int cellsPerStage;

    @Column(name = "batch_size", nullable = false)
    public int batchSize;

    @Column(name = "train_size", nullable = false)
    public int trainSize;

    @Column(name = "validation_size", nullable = false)
    public int validationSize;

    @Column(name = "split_seed", nullable = false)
    public long splitSeed;

    @Column(nullable = false)
    public String dataset;

    /** Update rule of every trial: {@code sgd} or {@code adam}. */
    @Column(nullable = false)
    public String optimizer = "sgd";

    @Column(name = "learning_rate", nullable = false)
    public double learningRate = 0.05;

    /** Training-image augmentation: {@code none}, {@code crop-flip}, {@code crop-flip-cutout} or {@code crop-flip-erase}. */
    @Column(nullable = false)
    public String augmentation = "none";

    /** Native threads for training; 0 keeps the backend's default. */
    @Column(nullable = false)
    public int threads;

    /** The controller's validated options, as JSON. */
    @Column(name = "controller_options", nullable = false)
    public String controllerOptions = "{}";

    /** The early-stopping rule and its settings, as JSON. */
    @Column(name = "early_stopping", nullable = false)
    public String earlyStopping = "{\"rule\": \"none\"}";

    /** Random candidates scored by the zero-cost proxy at the start; 0 for none. */
    @Column(name = "warm_start", nullable = false)
    public int warmStart;

    /** Epochs of the final retraining; 0 skips it. */
    @Column(name = "retrain_epochs", nullable = false)
    public int retrainEpochs;

    /** What is retrained: {@code best} or {@code front}. */
    @Column(nullable = false)
    public String retrain = "best";

    @Column(name = "parallel_trials", nullable = false)
    public int parallelTrials = 1;

    /** {@code standalone} or {@code weight-sharing}. */
    @Column(nullable = false)
    public String mode = "standalone";

    /** The supernet phase's settings (JSON). */
    @Column(nullable = false)
    public String supernet = "{}";

    /** How the final retraining differs from the trials' training (JSON). */
    @Column(nullable = false)
    public String retraining = "{}";

    /** The recipe the search was started from (JSON), or null. */
    public String recipe;

    /** Colour channels of the dataset's images. */
    @Column(name = "input_channels")
    public Integer inputChannels;

    @Column(name = "image_height")
    public Integer imageHeight;

    @Column(name = "image_width")
    public Integer imageWidth;

    /** Classes of the dataset. */
    public Integer classes;

    /** Size and checksum of the training images. */
    @Column(name = "dataset_fingerprint")
    public String datasetFingerprint;

    /** The controller's last stored state, as JSON. */
    @Column(name = "controller_state")
    public String controllerState;

    /** The warm start's scored candidates, best first, as JSON. */
    @Column(name = "warm_start_scores")
    public String warmStartScores;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SearchStatus status;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Until when the process that made it keeps it to coordinate itself; null when any may. */
    @Column(name = "reserved_until")
    public Instant reservedUntil;

    @Version
    public long version;

    @OneToMany(mappedBy = "search", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("number")
    public List<TrialEntity> trials = new ArrayList<>();
}
