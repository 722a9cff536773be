package org.cellforge.controller.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.Decision;
import org.cellforge.controller.Objectives;
import org.cellforge.controller.Observation;
import org.cellforge.controller.Simulation;
import org.cellforge.controller.StateReader;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;
import org.cellforge.controller.random.RandomController;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class EvolutionControllerTest {

    private static final Nb201Space SPACE = Nb201Space.standard();

    /** A score unrelated to neighbours' scores, fixed by the function computed. */
    private static double noise(Nb201Cell cell) {
        return (Long.parseUnsignedLong(SPACE.canonical(cell).hash(), 16) >>> 11) * 0x1p-53;
    }

    private static Nb201Cell propose(EvolutionController<Nb201Cell> c) {
        Decision<Nb201Cell> d = c.ask();
        if (d instanceof Decision.Propose<Nb201Cell>(Nb201Cell cell)) {
            return cell;
        }
        throw new AssertionError("expected a proposal, got " + d);
    }

    private static List<String> population(EvolutionController<Nb201Cell> c) {
        StateReader r = c.snapshot().reader(EvolutionController.NAME, List.of(1));
        return r.objects("population").stream().map(m -> m.string("architecture")).toList();
    }

    private static int edits(Nb201Cell a, Nb201Cell b) {
        int n = 0;
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            if (!a.op(e).equals(b.op(e))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void optionsDefaultToPopulationTenSampleThreeAndTheSampleMayNotExceedThePopulation() {
        List<Violation> violations = new ArrayList<>();
        Options defaults = Controllers.validate(EvolutionController.NAME, Map.of(), violations);
        assertEquals(List.of(), violations);
        assertEquals(10L, defaults.integer("population"));
        assertEquals(3L, defaults.integer("sample"));

        Controllers.validate(EvolutionController.NAME, Map.of("population", 5, "sample", 6), violations);
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("options.sample", violations.get(0).field());
        assertTrue(violations.get(0).reason().contains("population (5)"), violations.get(0).reason());

        violations.clear();
        Controllers.validate(EvolutionController.NAME, Map.of("population", 1), violations);
        assertEquals(List.of("options.population"), violations.stream().map(Violation::field).toList());
        violations.clear();
        Controllers.validate(EvolutionController.NAME, Map.of("sample", "three"), violations);
        assertEquals(List.of("options.sample"), violations.stream().map(Violation::field).toList());
    }

    @Test
    void warmCandidatesComeFirstOnceEachThenUniformSamplesOfNewFunctions() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 3, 6, 2);
        Nb201Cell a = SPACE.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
        Nb201Cell b = SPACE.parse("|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
        c.warmStart(List.of(a, a, b));
        List<Nb201Cell> initial = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            initial.add(propose(c));
        }
        assertEquals(a, initial.get(0));
        assertEquals(b, initial.get(1));
        Set<String> functions = new HashSet<>();
        initial.forEach(cell -> functions.add(SPACE.canonical(cell).hash()));
        assertEquals(6, functions.size(), "six different functions");
    }

    @Test
    void withSeveralSlotsItWaitsUntilAMemberIsEvaluatedThenMutatesIt() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 4, 3, 3);
        Nb201Cell first = propose(c);
        propose(c);
        Nb201Cell third = propose(c);
        assertInstanceOf(Decision.Wait.class, c.ask(), "nothing evaluated yet");
        c.tell(Observation.failed(first));
        // A failure leaves the population short, so another uniform sample takes its place.
        Nb201Cell replacement = propose(c);
        assertInstanceOf(Decision.Wait.class, c.ask());
        c.tell(Observation.of(third, 0.7));
        for (int i = 0; i < 20; i++) {
            Nb201Cell child = propose(c);
            assertEquals(1, edits(third, child), child.key() + " is one edit from the only member");
            assertNotEquals(SPACE.canonical(third), SPACE.canonical(child));
        }
        assertNotEquals(first, replacement);
    }

    @Test
    void afterEveryMemberFailedWithNothingOutstandingItSamplesAgainInsteadOfWaiting() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 5, 2, 2);
        c.tell(Observation.failed(propose(c)));
        c.tell(Observation.failed(propose(c)));
        assertInstanceOf(Decision.Propose.class, c.ask());
    }

    @Test
    void thePopulationIsTheMostRecentEvaluationsFailedOnesLeftOutStoppedOnesIn() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 6, 3, 2);
        List<String> evaluated = new ArrayList<>();
        String stopped = null;
        for (int i = 0; i < 40; i++) {
            Nb201Cell cell = propose(c);
            Observation<Nb201Cell> o = switch (i % 5) {
                case 1 -> Observation.failed(cell);
                case 3 -> Observation.stopped(cell, new Objectives(0.25, 0, 0));
                default -> Observation.of(cell, noise(cell));
            };
            c.tell(o);
            if (o.outcome() != Observation.Outcome.FAILED) {
                evaluated.add(cell.key());
            }
            if (o.outcome() == Observation.Outcome.STOPPED) {
                stopped = cell.key();
            }
            List<String> expected = evaluated.subList(Math.max(0, evaluated.size() - 3), evaluated.size());
            assertEquals(expected, population(c), "after " + (i + 1) + " tells");
        }
        String last = stopped;
        StateReader member = c.snapshot().reader(EvolutionController.NAME, List.of(1)).objects("population").stream()
                .filter(m -> m.string("architecture").equals(last)).findFirst().orElseThrow();
        assertEquals(0.25, member.real("accuracy"), "the stopped one joined with its accuracy");
    }

    @Test
    void theOldestLeavesEvenWhenItIsTheBest() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 8, 3, 3);
        Nb201Cell best = propose(c);
        c.tell(Observation.of(best, 0.99));
        for (int i = 0; i < 2; i++) {
            Nb201Cell cell = propose(c);
            c.tell(Observation.of(cell, 0.1));
        }
        assertTrue(population(c).contains(best.key()));
        Nb201Cell child = propose(c);
        c.tell(Observation.of(child, 0.2));
        assertEquals(3, population(c).size());
        assertTrue(!population(c).contains(best.key()), "aging retires the oldest, not the worst");
    }

    @Test
    void everyChildIsOneEditFromAMemberOfThePopulation() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 9, 5, 2);
        for (int i = 0; i < 80; i++) {
            List<Nb201Cell> members = population(c).stream().map(SPACE::parse).toList();
            Nb201Cell cell = propose(c);
            if (i >= 5) {
                assertTrue(members.stream().anyMatch(m -> edits(m, cell) == 1
                        && !SPACE.canonical(m).equals(SPACE.canonical(cell))), cell.key());
            }
            c.tell(Observation.of(cell, noise(cell)));
        }
    }

    @Test
    void tournamentsMutateTheMostAccurateMemberTheyDraw() {
        // One member of four is far better than the rest: a tournament of four draws it (and so
        // mutates it) with probability 1 - (3/4)^4 = 68 %, a tournament of two with 1 - (3/4)^2 = 44 %.
        double ofFour = childrenOfTheBest(4);
        double ofTwo = childrenOfTheBest(2);
        assertTrue(ofFour > 0.6 && ofFour < 0.76, "tournaments of four: " + ofFour);
        assertTrue(ofTwo > 0.36 && ofTwo < 0.52, "tournaments of two: " + ofTwo);
    }

    private static double childrenOfTheBest(int sample) {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 10, 4, sample);
        Nb201Cell best = null;
        for (int i = 0; i < 4; i++) {
            Nb201Cell cell = propose(c);
            c.tell(Observation.of(cell, i == 2 ? 0.9 : 0.1));
            if (i == 2) {
                best = cell;
            }
        }
        int children = 300;
        int ofBest = 0;
        for (int i = 0; i < children; i++) {
            // Nothing is told: every child comes from the same four members.
            if (edits(best, propose(c)) == 1) {
                ofBest++;
            }
        }
        return ofBest / (double) children;
    }

    @Test
    void climbsASmoothObjectiveFarSoonerThanRandomSearch() {
        // Accuracy grows with every 3x3 convolution: the single best cell has six of them. Random
        // search finds it after about half of the space's 4,660 functions.
        int budget = 300;
        for (long seed = 1; seed <= 5; seed++) {
            Simulation<Nb201Cell> evolution = new Simulation<>(EvolutionController.of(SPACE, seed, 10, 3),
                    EvolutionControllerTest::convolutions, cell -> new Cost(0, 0), 1, SPACE).runTrials(budget);
            Simulation<Nb201Cell> random = new Simulation<>(RandomController.of(SPACE, seed),
                    EvolutionControllerTest::convolutions, cell -> new Cost(0, 0), 1, SPACE).runTrials(budget);
            int found = evolution.firstTrial(cell -> convolutions(cell) == 6);
            assertTrue(found <= budget, "seed " + seed + ": evolution did not find the best cell in " + budget);
            assertTrue(found < random.firstTrial(cell -> convolutions(cell) == 6), "seed " + seed);
        }
    }

    private static double convolutions(Nb201Cell cell) {
        return cell.ops().stream().filter("nor_conv_3x3"::equals).count();
    }

    @Test
    void tellsOfAnythingButAnOutstandingProposalAreRefused() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 11, 3, 2);
        Nb201Cell cell = propose(c);
        c.tell(Observation.of(cell, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.tell(Observation.of(cell, 0.5)));
        assertTrue(e.getMessage().contains("not an outstanding proposal"), e.getMessage());
    }

    @Test
    void restoreRefusesStatesOfOtherControllersAndSpaces() {
        EvolutionController<Nb201Cell> c = EvolutionController.of(SPACE, 12, 3, 2);
        c.tell(Observation.of(propose(c), 0.5));
        ControllerState saved = c.snapshot();
        assertThrows(IllegalArgumentException.class, () -> EvolutionController.of(DartsSpace.standard(), 12, 3, 2)
                .restore(saved));
        ControllerState random = RandomController.of(SPACE, 12).snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvolutionController.of(SPACE, 12, 3, 2).restore(random));
        assertTrue(e.getMessage().contains("belongs to controller random"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvolutionController.of(SPACE, 12, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> EvolutionController.of(SPACE, 12, 3, 4));
    }
}
