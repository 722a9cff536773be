package org.cellforge.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.differentiable.Differentiable;
import org.cellforge.controller.evolution.EvolutionController;
import org.cellforge.controller.nsga2.Nsga2Controller;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.controller.random.RandomController;
import org.cellforge.controller.reinforce.ReinforceController;

/** The strategies users can choose by name. */
public final class Controllers {

    private static final List<ControllerKind> ALL = List.of(RandomController.KIND, EvolutionController.KIND,
            Nsga2Controller.KIND, ReinforceController.KIND, Differentiable.KIND);

    private Controllers() {
    }

    /** Every strategy, the default first. */
    public static List<ControllerKind> all() {
        return ALL;
    }

    /** The strategies that ask and tell (every one but the one-shot ones), the default first. */
    public static List<ControllerKind> askAndTell() {
        return ALL.stream().filter(k -> !k.oneShot()).toList();
    }

    /** Names of every strategy, the default first. */
    public static List<String> names() {
        return ALL.stream().map(ControllerKind::name).toList();
    }

    /** The strategy called {@code name}. */
    public static Optional<ControllerKind> named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /**
     * Validates the options of strategy {@code name}; violations name the field as
     * {@code options.NAME}.
     *
     * @param violations where problems are added
     * @return the validated options, complete only if nothing was added
     */
    public static Options validate(String name, Map<String, ?> raw, List<Violation> violations) {
        Optional<ControllerKind> kind = named(name);
        if (kind.isEmpty()) {
            violations.add(new Violation("controller", "unknown controller '" + name + "'; supported: " + names()));
            return Options.none();
        }
        List<Violation> found = new ArrayList<>();
        Options options = Options.validate(kind.get().options(), raw, found);
        if (found.isEmpty()) {
            kind.get().check(options, found);
        }
        found.forEach(v -> violations.add(v.under("options")));
        return options;
    }
}
