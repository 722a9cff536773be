package org.cellforge.web.search;

import java.time.Instant;
import java.util.List;

import org.cellforge.persistence.SearchEntity;

/**
 * A search as shown over REST and in the dashboard.
 *
 * @param id search id
 * @param space search space
 * @param controller search strategy
 * @param status lifecycle state
 * @param trialBudget trials asked for
 * @param epochsPerTrial training epochs of each trial
 * @param seed controller and training seed
 * @param channels macro width C
 * @param cellsPerStage cells N per stage
 * @param batchSize images per step
 * @param dataset dataset name
 * @param trainSize training images
 * @param validationSize validation images
 * @param splitSeed seed of the fixed train/validation split
 * @param optimizer update rule of every trial
 * @param learningRate initial learning rate of the cosine schedule
 * @param augmentation training-image augmentation
 * @param threads native training threads (0: the backend's default)
 * @param trialsFinished trials that succeeded or failed
 * @param bestValidationAccuracy best stand-alone validation accuracy so far, or null
 * @param bestArch arch string of that trial, or null
 * @param error why a failed search failed
 * @param createdAt when it was submitted
 * @param startedAt when it started running
 * @param finishedAt when it ended
 * @param trials the trials, or null in listings
 */
public record SearchInfo(long id, String space, String controller, String status, int trialBudget, int epochsPerTrial,
        long seed, int channels, int cellsPerStage, int batchSize, String dataset, int trainSize, int validationSize,
        long splitSeed, String optimizer, double learningRate, String augmentation, int threads, int trialsFinished, Double bestValidationAccuracy, String bestArch, String error,
        Instant createdAt, Instant startedAt, Instant finishedAt, List<TrialInfo> trials) {

    static SearchInfo of(SearchEntity s, int finished, TrialInfo best, List<TrialInfo> trials) {
        return new SearchInfo(s.id, s.space, s.controller, s.status.name(), s.trialBudget, s.epochsPerTrial, s.seed,
                s.channels, s.cellsPerStage, s.batchSize, s.dataset, s.trainSize, s.validationSize, s.splitSeed,
                s.optimizer, s.learningRate, s.augmentation, s.threads, finished, best == null ? null : best.validationAccuracy(), best == null ? null : best.arch(), s.error,
                s.createdAt, s.startedAt, s.finishedAt, trials);
    }
}
