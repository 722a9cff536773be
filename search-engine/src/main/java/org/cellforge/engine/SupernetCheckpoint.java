package org.cellforge.engine;

import java.util.Optional;

import org.cellforge.controller.ControllerState;

/**
 * A stored supernet checkpoint: the training state after epoch {@code epoch} and the controller that
 * sampled its paths.
 *
 * @param epoch the last epoch trained
 * @param state the evaluation's training state (weights, statistics, optimizer)
 * @param controller the controller's state at that point, for searches whose controller samples
 */
public record SupernetCheckpoint(int epoch, byte[] state, Optional<ControllerState> controller) {
}
