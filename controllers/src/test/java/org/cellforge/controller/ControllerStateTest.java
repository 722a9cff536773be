package org.cellforge.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ControllerStateTest {

    @Test
    void jsonRoundTripKeepsEveryValueExactly() {
        Rng rng = Rng.of(3);
        rng.nextLong();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("random", StateReader.rng(rng));
        s.put("weights", List.of(0.1, -1.0 / 3, 1e-300, 123456.789));
        s.put("count", 7L);
        s.put("big", Long.MIN_VALUE + 1);
        s.put("flag", true);
        ControllerState state = new ControllerState("x", 2, s);
        ControllerState back = ControllerState.fromJson(state.toJson());
        assertEquals("x", back.controller());
        assertEquals(2, back.version());
        StateReader r = back.reader("x", List.of(2));
        assertEquals(rng.state(), r.rng("random").state());
        double[] w = r.reals("weights");
        assertEquals(0.1, w[0]);
        assertEquals(-1.0 / 3, w[1]);
        assertEquals(1e-300, w[2]);
        assertEquals(123456.789, w[3]);
        assertEquals(7, r.integer("count"));
        assertEquals(Long.MIN_VALUE + 1, r.longValue("big"));
        assertTrue(r.bool("flag"));
    }

    @Test
    void readerRefusesOtherControllersVersionsAndNamesTheBadField() {
        ControllerState state = new ControllerState("x", 1, Map.of("n", "seven"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> state.reader("y", List.of(1))).getMessage()
                .contains("belongs to controller x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> state.reader("x", List.of(2))).getMessage()
                .contains("version 1 cannot be read"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> state.reader("x", List.of(1)).integer("n"));
        assertTrue(e.getMessage().contains("x state.n"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ControllerState.fromJson("{\"format\": \"other\"}")).getMessage().contains("format"));
    }

    @Test
    void rngRestoredFromItsStateContinuesTheSameSequence() {
        Rng a = Rng.of(42);
        for (int i = 0; i < 5; i++) {
            a.nextInt(10);
        }
        Rng b = Rng.restore(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertTrue(Rng.of(1).nextLong() != Rng.of(2).nextLong());
    }
}
