package org.cellforge.engine;

import java.util.List;
import java.util.Optional;

import org.cellforge.controller.ControllerState;

/**
 * A search as stored: what was asked for, where it stands, and its trials.
 *
 * @param id storage id
 * @param request the normalized request
 * @param status lifecycle state
 * @param controllerState the controller's last stored state
 * @param trials trials in order
 */
public record StoredSearch(long id, SearchRequest request, SearchStatus status,
        Optional<ControllerState> controllerState, List<StoredTrial> trials) {

    public StoredSearch {
        trials = List.copyOf(trials);
    }
}
