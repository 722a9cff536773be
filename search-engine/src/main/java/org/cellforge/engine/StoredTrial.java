package org.cellforge.engine;

import java.util.List;

import org.cellforge.controller.Cost;

/**
 * A trial as stored.
 *
 * @param id storage id
 * @param number one-based position in the search
 * @param arch the architecture's text form
 * @param canonical hash of its canonical form
 * @param status lifecycle state
 * @param validationAccuracy stand-alone validation accuracy, null unless SUCCEEDED or STOPPED
 * @param cost parameters and FLOPs
 * @param curve validation accuracy after each epoch
 */
public record StoredTrial(long id, int number, String arch, String canonical, TrialStatus status,
        Double validationAccuracy, Cost cost, List<Double> curve) {

    public StoredTrial {
        curve = List.copyOf(curve);
    }
}
