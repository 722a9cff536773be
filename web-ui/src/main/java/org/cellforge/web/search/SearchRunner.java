package org.cellforge.web.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cellforge.controller.Controller;
import org.cellforge.controller.Observation;
import org.cellforge.controller.RandomController;
import org.cellforge.evaluator.Trainer;
import org.cellforge.evaluator.export.OnnxExport;
import org.cellforge.evaluator.nb201.Nb201Network;
import org.cellforge.evaluator.nn.Network;
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

    /** What a checkpoint records of how its weights came about. */
    private static Map<String, String> provenance(SearchEntity s, Nb201Cell cell, TrainingResult result) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cellforge.space", s.space);
        p.put("cellforge.arch", cell.key());
        p.put("cellforge.macro", "C=" + s.channels + " N=" + s.cellsPerStage);
        p.put("cellforge.dataset", s.dataset);
        p.put("cellforge.split", "train=" + s.trainSize + " validation=" + s.validationSize + " seed=" + s.splitSeed);
        p.put("cellforge.training", "epochs=" + s.epochsPerTrial + " batch=" + s.batchSize + " optimizer="
                + s.optimizer + " lr=" + s.learningRate + " augmentation=" + s.augmentation + " seed=" + s.seed);
        p.put("cellforge.validation_accuracy", String.valueOf(result.validationAccuracy()));
        p.put("cellforge.search", String.valueOf(s.id));
        return p;
    }

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
                    .withAugmentation(SearchRequest.augmentation(s.augmentation))
                    .withThreads(s.threads);
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
                Network net = Nb201Network.create(cell, macro, settings.seed());
                TrainingResult result = Trainer.train(net, split, settings, m -> service.recordEpoch(trialId, m));
                Optional<byte[]> onnx = result.succeeded() ? Optional.of(OnnxExport.toBytes(net,
                        split.train().channels(), split.train().height(), split.train().width(),
                        split.train().classes(), provenance(s, cell, result))) : Optional.empty();
                TrialInfo trial = service.finishTrial(trialId, result, onnx);
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
