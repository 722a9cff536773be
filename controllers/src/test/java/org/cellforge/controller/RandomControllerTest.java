package org.cellforge.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.Test;

class RandomControllerTest {

    private static List<String> proposals(Controller<Nb201Cell> controller, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Optional<Nb201Cell> next = controller.ask();
            if (next.isEmpty()) {
                break;
            }
            keys.add(next.get().key());
            controller.tell(Observation.of(next.get(), 0.5));
        }
        return keys;
    }

    @Test
    void sameSeedSameProposalsOtherSeedOthers() {
        List<String> a = proposals(RandomController.of(Nb201Space.standard(), 11), 20);
        assertEquals(a, proposals(RandomController.of(Nb201Space.standard(), 11), 20));
        assertNotEquals(a, proposals(RandomController.of(Nb201Space.standard(), 12), 20));
    }

    @Test
    void neverProposesTheSameFunctionTwiceAndStopsWhenAllAreProposed() {
        Nb201Space tiny = Nb201Space.of(List.of("none", "skip_connect", "nor_conv_3x3"));
        Set<String> functions = new HashSet<>();
        for (int n = 0; n < 729; n++) {
            int[] genes = new int[Nb201Cell.EDGES];
            for (int e = 0, rest = n; e < genes.length; e++, rest /= 3) {
                genes[e] = rest % 3;
            }
            functions.add(tiny.canonical(tiny.encoding().decode(genes)).expression());
        }
        assertTrue(functions.size() < 729, "some of the 729 strings compute the same function");
        List<String> all = proposals(RandomController.of(tiny, 5), 1_000);
        Set<String> proposed = new HashSet<>();
        for (String key : all) {
            assertTrue(proposed.add(tiny.canonical(tiny.parse(key)).expression()), "repeated function " + key);
        }
        assertEquals(functions, proposed);
    }
}
