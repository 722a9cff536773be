package org.cellforge.engine;

import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;

/**
 * How a search shares weights: its {@code mode} and, for weight sharing, the settings of the supernet
 * phase ({@code supernet} in a request).
 *
 * <p>A weight-sharing search trains one supernet for {@link #EPOCHS} epochs, one sampled path per
 * step: drawn uniformly (single-path one-shot) or proposed by the controller itself, which is then
 * rewarded with the path's accuracy on the next validation batch (ENAS when the controller is
 * {@code reinforce}). The controller then searches on inherited weights: each trial is a supernet
 * estimate, no training. The {@link #FINALISTS} best estimates are trained stand-alone and validated,
 * and the best of those is retrained and tested once, as in a stand-alone search. The supernet is
 * checkpointed after every epoch, keeping the last {@link #CHECKPOINTS}, so an interrupted search
 * resumes from its last epoch.
 */
public final class WeightSharing {

    /** Every candidate trained on its own weights. */
    public static final String STANDALONE = "standalone";

    /** Candidates inherit the weights of one supernet. */
    public static final String SHARED = "weight-sharing";

    /** The modes a request may name. */
    public static final List<String> MODES = List.of(STANDALONE, SHARED);

    /** Paths drawn uniformly at random. */
    public static final String UNIFORM = "uniform";

    /** Paths proposed by the search's controller, rewarded on validation batches. */
    public static final String CONTROLLER = "controller";

    static final Option EPOCHS = Option.integer("epochs", 5L, 1, 1_000,
            "epochs of supernet training (for darts: of the differentiable search)");
    static final Option SAMPLING = Option.choice("sampling", UNIFORM, List.of(UNIFORM, CONTROLLER),
            "how each training step's path is drawn: uniformly, or by the controller (rewarded on validation "
                    + "batches; ENAS with reinforce)");
    static final Option FINALISTS = Option.integer("finalists", 3L, 1, 1_000,
            "best supernet estimates trained stand-alone and validated before the final retraining");
    static final Option CHECKPOINTS = Option.integer("checkpoints", 2L, 1, 100,
            "supernet checkpoints kept (one per epoch, the newest)");

    /** The settings of the supernet phase. */
    public static final List<Option> OPTIONS = List.of(EPOCHS, SAMPLING, FINALISTS, CHECKPOINTS);

    private WeightSharing() {
    }

    private static final SettingsObject SETTINGS = new SettingsObject("supernet", OPTIONS);

    /** Validates a {@code supernet} object, adding violations as {@code supernet.FIELD}. */
    static Options validate(Map<String, Object> raw, List<Violation> violations) {
        return SETTINGS.validate(raw, violations);
    }

    /**
     * {@code raw} with defaults filled and numbers typed, as a search stores it; {@code raw} itself if it is
     * not valid (what was stored is shown as it is).
     */
    public static Map<String, Object> normalize(Map<String, Object> raw) {
        return SETTINGS.normalize(raw);
    }

    /** The validated settings of a {@code supernet} object (call on a valid one). */
    static Options options(Map<String, Object> raw) {
        return SETTINGS.options(raw);
    }
}
