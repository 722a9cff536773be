package org.cellforge.web.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.cellforge.engine.SearchRequest;
import org.cellforge.persistence.JpaSearchStore;
import org.cellforge.persistence.SearchEntity;
import org.cellforge.persistence.SearchRepository;

/**
 * A search as shown over REST and in the dashboard.
 *
 * @param id search id
 * @param status lifecycle state
 * @param request what was asked for, with defaults filled in (controller options included)
 * @param trialsFinished trials that ended (succeeded, stopped or failed)
 * @param bestValidationAccuracy best stand-alone validation accuracy of a trial trained to the end, or null
 * @param bestArch that trial's architecture, or null
 * @param bestTrial that trial's number, or null
 * @param bestTestAccuracy that architecture's test accuracy after the final retraining, or null
 * @param error why a failed search failed
 * @param createdAt when it was submitted
 * @param startedAt when it started running
 * @param finishedAt when it ended
 * @param trials the trials (null in listings)
 * @param retrains the final retrainings (null in listings)
 * @param paretoFront trial numbers on the Pareto front of validation accuracy and {@code frontCost}, cheapest
 *        first (null in listings)
 * @param frontCost the cost of the front: parameters, or the controller's objective
 * @param warmStart the warm start's candidates with their NASWOT scores, best first (null if none or in listings)
 * @param supernetEpochs the supernet's training epochs of a weight-sharing or darts search, with DARTS's
 *        architecture weights (null in listings)
 */
public record SearchInfo(long id, String status, SearchRequest request, int trialsFinished,
        Double bestValidationAccuracy, String bestArch, Integer bestTrial, Double bestTestAccuracy, String error,
        Instant createdAt, Instant startedAt, Instant finishedAt, List<TrialInfo> trials, List<RetrainInfo> retrains,
        List<Integer> paretoFront, String frontCost, List<Map<String, Object>> warmStart,
        List<SupernetEpochInfo> supernetEpochs) {

    /** A search in a list: its totals, no trials. */
    static SearchInfo of(SearchEntity s, SearchRepository.SearchTotals t) {
        return of(s, t, null, null, null, null, null, null);
    }

    /** A search with its totals (best trial, trials ended) and, where not null, the rest. */
    static SearchInfo of(SearchEntity s, SearchRepository.SearchTotals t, List<TrialInfo> trials,
            List<RetrainInfo> retrains, List<Integer> front, String frontCost, List<Map<String, Object>> warmStart,
            List<SupernetEpochInfo> supernetEpochs) {
        return new SearchInfo(s.id, s.status.name(), JpaSearchStore.request(s), t.finished(), t.bestValidation(),
                t.bestArch(), t.bestTrial(), t.bestTest(), s.error, s.createdAt, s.startedAt, s.finishedAt, trials,
                retrains, front, frontCost, warmStart, supernetEpochs);
    }
}
