package org.cellforge.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Violation;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class ControllersTest {

    @Test
    void randomComesFirstAsTheDefaultAndEvolutionAndNsga2AreRegistered() {
        List<String> names = Controllers.names();
        assertEquals("random", names.get(0));
        assertTrue(names.containsAll(List.of("evolution", "nsga2")), names.toString());
        assertEquals(names.size(), Controllers.all().stream().map(ControllerKind::name).distinct().count());
    }

    @Test
    void everyStrategyDescribesItselfAndItsOptionsAndMakesAControllerOfItsName() {
        for (ControllerKind kind : Controllers.all()) {
            assertFalse(kind.description().isBlank(), kind.name());
            for (Option o : kind.options()) {
                assertFalse(o.help().isBlank(), kind.name() + "." + o.name());
            }
            List<Violation> violations = new ArrayList<>();
            var options = Controllers.validate(kind.name(), Map.of(), violations);
            assertEquals(List.of(), violations, kind.name());
            if (kind.oneShot()) {
                assertThrows(UnsupportedOperationException.class, () -> kind.create(new ControllerContext<>(
                        Nb201Space.standard(), 1, options, a -> new Cost(0, 0))), kind.name());
                continue;
            }
            Controller<?> c = kind.create(new ControllerContext<>(Nb201Space.standard(), 1, options,
                    a -> new Cost(0, 0)));
            assertEquals(kind.name(), c.name());
            assertEquals(kind.name(), c.snapshot().controller());
        }
    }

    @Test
    void violationsNameTheFieldUnderOptions() {
        List<Violation> violations = new ArrayList<>();
        Controllers.validate("evolution", Map.of("population", 4, "sample", 5), violations);
        Controllers.validate("nsga2", Map.of("population", 2), violations);
        Controllers.validate("nsga2", Map.of("mutation", 0.5), violations);
        Controllers.validate("annealing", Map.of(), violations);
        assertEquals(List.of("options.sample", "options.population", "options.mutation", "controller"),
                violations.stream().map(Violation::field).toList());
        assertTrue(violations.get(3).reason().contains("evolution"), violations.get(3).reason());
    }
}
