package org.cellforge.web.search;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.controller.Controller;
import org.cellforge.controller.Observation;
import org.cellforge.controller.RandomController;
import org.cellforge.evaluator.Nb201Trainer;
import org.cellforge.evaluator.Optimizer;
import org.cellforge.evaluator.TrainSettings;
import org.cellforge.evaluator.TrainingResult;
import org.cellforge.evaluator.data.Split;
import org.cellforge.space.nb201.Nb201Macro;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchStatus;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.jboss.logging.Logger;

/**
 * The search loop: ask the controller, train the candidate, store the trial, tell the controller.
 * Any error ends the search as FAILED with its message; a failed trial does not.
 */
@ApplicationScoped
public class SearchRunner {

    private static final Logger LOG = Logger.getLogger(SearchRunner.class);

    @Inject
    SearchService service;

    @Inject
    DatasetProvider datasets;

    /** Runs search {@code id} (which must be QUEUED) to the end. */
    public void run(long id, SearchProgress progress) {
        try {
            SearchEntity s = service.markRunning(id);
            Split split = datasets.split(s.dataset, s.trainSize, s.validationSize, s.splitSeed);
            Controller<Nb201Cell> controller = RandomController.of(Nb201Space.standard(), s.seed);
            Nb201Macro macro = new Nb201Macro(s.channels, s.cellsPerStage, split.train().channels(),
                    split.train().classes());
            TrainSettings settings = TrainSettings.defaults(s.epochsPerTrial, s.seed).withBatchSize(s.batchSize)
                    .withOptimizer(Optimizer.Kind.fromConfigName(s.optimizer), s.learningRate)
                    .withAugmentation(SearchRequest.augmentation(s.augmentation));
            for (int n = 1; n <= s.trialBudget; n++) {
                if (Thread.currentThread().isInterrupted()) {
                    service.finish(id, SearchStatus.INTERRUPTED, "stopped before trial " + n);
                    return;
                }
                Optional<Nb201Cell> next = controller.ask();
                if (next.isEmpty()) {
                    break;
                }
                Nb201Cell cell = next.get();
                long trialId = service.startTrial(id, n, cell.key());
                TrainingResult result = Nb201Trainer.train(cell, macro, split, settings, metrics -> { });
                TrialInfo trial = service.finishTrial(trialId, result);
                controller.tell(result.succeeded() ? Observation.of(cell, result.validationAccuracy())
                        : Observation.failed(cell));
                progress.trialFinished(trial, s.trialBudget);
            }
            service.finish(id, SearchStatus.SUCCEEDED, null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "search %d failed", id);
            try {
                service.finish(id, SearchStatus.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (RuntimeException again) {
                LOG.errorf(again, "could not record the failure of search %d", id);
            }
        }
    }
}
