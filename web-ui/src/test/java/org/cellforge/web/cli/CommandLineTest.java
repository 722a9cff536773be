package org.cellforge.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void searchFlagsFillTheRequestAndDefaultsTheRest() {
        CommandLine line = CommandLine.parse("search", "--trials", "4", "--epochs=2", "--seed", "9", "--out", "x.json");
        assertEquals("search", line.mode());
        assertEquals(4, line.request().trials());
        assertEquals(2, line.request().epochs());
        assertEquals(9L, line.request().seed());
        assertEquals(16, line.request().channels());
        assertEquals("nas-bench-201", line.request().space());
        assertEquals(Path.of("x.json"), line.out());
    }

    @Test
    void serverTakesAPortAndADataDirectory() {
        CommandLine line = CommandLine.parse("server", "--port", "9090", "--data-dir", "/srv/cf");
        assertEquals(9090, line.port());
        assertEquals(Path.of("/srv/cf"), line.dataDir().orElseThrow());
        assertEquals(8080, CommandLine.parse("server").port());
    }

    @Test
    void badFlagsNameTheFlagAndTheReason() {
        assertMessage("--trials: expected an integer, got 'many'", "search", "--trials", "many");
        assertMessage("--trials: must be between 1 and", "search", "--trials", "0");
        assertMessage("unknown flag '--trails'", "search", "--trails", "3");
        assertMessage("--epochs: a value is required", "search", "--epochs");
        assertMessage("--seed: given more than once", "search", "--seed", "1", "--seed", "2");
        assertMessage("--controller: unknown controller 'bayes'", "search", "--controller", "bayes");
        assertMessage("--val-size: trainSize + validationSize", "search", "--train-size", "59000", "--val-size",
                "5000");
        assertMessage("--optimizer: unknown optimizer 'rmsprop'", "search", "--optimizer", "rmsprop");
        assertMessage("--lr: expected a number, got 'fast'", "search", "--lr", "fast");
        assertMessage("--lr: must be in (0, 10]", "search", "--lr", "-1");
        assertMessage("--augment: unknown augmentation 'mixup'", "search", "--augment", "mixup");
        assertMessage("--threads: must be between 0 and 1024", "search", "--threads", "-2");
        assertMessage("--dataset: 'fashion-mnist' or FORMAT:PATH; unknown dataset format 'svhn'", "search",
                "--dataset", "svhn:/data");
        assertMessage("--port: must be between 1 and 65535", "server", "--port", "70000");
        assertMessage("unknown mode 'serve'", "serve");
        assertMessage("no mode given", new String[0]);
    }

    @Test
    void helpNeedsNothingElse() {
        assertEquals("help", CommandLine.parse("--help").mode());
        assertTrue(CommandLine.USAGE.contains("--trials"));
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
