package org.cellforge.engine.stopping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;

/**
 * A rule that stops weak trials after an epoch, judged against the learning curves of the other
 * trials. A stopped trial is marked STOPPED, not FAILED: it is weaker, not broken.
 */
@FunctionalInterface
public interface EarlyStopping {

    /** No early stopping. */
    String NONE = "none";
    /** The median stopping rule. */
    String MEDIAN = "median";
    /** Asynchronous successive halving. */
    String HALVING = "halving";

    /** Rule names. */
    List<String> RULES = List.of(NONE, MEDIAN, HALVING);

    /**
     * Whether trial {@code trial}, whose curve in {@code curves} now ends at {@code epoch}, should stop
     * training.
     */
    boolean stop(LearningCurves curves, int trial, int epoch);

    /** The rule that never stops a trial. */
    static EarlyStopping never() {
        return (curves, trial, epoch) -> false;
    }

    /** The options of each rule, {@code rule} included. */
    static List<Option> declared(String rule) {
        Option name = Option.choice("rule", NONE, RULES, "how weak trials are stopped early");
        return switch (rule) {
            case MEDIAN -> List.of(name, MedianRule.GRACE, MedianRule.MIN_TRIALS);
            case HALVING -> List.of(name, SuccessiveHalving.MIN_EPOCHS, SuccessiveHalving.REDUCTION);
            default -> List.of(name);
        };
    }

    /**
     * Checks an {@code earlyStopping} object for trials of {@code epochs} epochs, adding violations as
     * {@code earlyStopping.FIELD}: a rule whose first chance to stop lies at or past the trials' last
     * epoch would stop nothing, which a user who asked for it would not know.
     */
    static void validate(Map<String, Object> raw, int epochs, List<Violation> violations) {
        List<Violation> found = new ArrayList<>();
        Options o = options(raw, found);
        violations.addAll(found);
        if (!found.isEmpty()) {
            return;
        }
        Option first = switch (o.choice("rule")) {
            case MEDIAN -> MedianRule.GRACE;
            case HALVING -> SuccessiveHalving.MIN_EPOCHS;
            default -> null;
        };
        if (first != null && epochs >= 1 && o.integer(first.name()) >= epochs) {
            violations.add(new Violation("earlyStopping." + first.name(), "must be below epochs (" + epochs
                    + ") for rule " + o.choice("rule") + " to stop any trial, got " + o.integer(first.name())
                    + "; lower it, raise epochs, or choose rule " + NONE));
        }
    }

    /** The validated options of an {@code earlyStopping} object (call on a valid one). */
    static Options options(Map<String, Object> raw) {
        List<Violation> v = new ArrayList<>();
        Options o = options(raw, v);
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("invalid early stopping: " + v);
        }
        return o;
    }

    private static Options options(Map<String, Object> raw, List<Violation> violations) {
        Map<String, Object> given = raw == null ? Map.of() : raw;
        List<Violation> found = new ArrayList<>();
        String rule;
        try {
            rule = (String) declared(NONE).get(0).read(given.getOrDefault("rule", NONE));
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("earlyStopping.rule", e.getMessage()));
            return Options.none();
        }
        Options o = Options.validate(declared(rule), given, found);
        found.forEach(f -> violations.add(f.under("earlyStopping")));
        return o;
    }

    /** The rule {@code options} (validated) describe, for trials of {@code maxEpochs} epochs. */
    static EarlyStopping of(Options options, int maxEpochs) {
        return switch (options.choice("rule")) {
            case MEDIAN -> new MedianRule((int) options.integer(MedianRule.GRACE.name()),
                    (int) options.integer(MedianRule.MIN_TRIALS.name()), maxEpochs);
            case HALVING -> new SuccessiveHalving((int) options.integer(SuccessiveHalving.MIN_EPOCHS.name()),
                    (int) options.integer(SuccessiveHalving.REDUCTION.name()), maxEpochs);
            default -> never();
        };
    }
}
