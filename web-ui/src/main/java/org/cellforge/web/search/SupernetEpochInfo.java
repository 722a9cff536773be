package org.cellforge.web.search;

import java.util.List;
import java.util.Map;

import org.cellforge.persistence.SearchRepository;
import org.cellforge.space.json.Json;

/**
 * One epoch of a search's supernet training, as shown over REST and in the dashboard.
 *
 * @param epoch one-based epoch
 * @param epochs epochs in all
 * @param trainLoss mean training loss of the sampled paths (or of the relaxed network)
 * @param trainAccuracy accuracy on the training batches as they were fitted
 * @param estimate validation accuracy after the epoch: a supernet estimate (of the epoch's last path, or of
 *        DARTS's relaxed network), never stand-alone
 * @param estimateKind always {@value TrialInfo#SUPERNET_ESTIMATE}
 * @param seconds wall time of the epoch
 * @param alpha DARTS's architecture weights after the epoch: per cell kind, {@code cell}, {@code ops} and
 *        {@code weights[edge][op]} (softmax of alpha); null for other searches
 */
public record SupernetEpochInfo(int epoch, int epochs, Double trainLoss, Double trainAccuracy, Double estimate,
        String estimateKind, Double seconds, List<Map<String, Object>> alpha) {

    @SuppressWarnings("unchecked")
    static SupernetEpochInfo of(SearchRepository.SupernetEpochRow r) {
        return new SupernetEpochInfo(r.epoch(), r.epochs(), r.trainLoss(), r.trainAccuracy(), r.estimate(),
                TrialInfo.SUPERNET_ESTIMATE, r.seconds(),
                r.alpha() == null ? null : (List<Map<String, Object>>) Json.parse(r.alpha()));
    }
}
