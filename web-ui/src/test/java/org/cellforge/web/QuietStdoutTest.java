package org.cellforge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class QuietStdoutTest {

    @Test
    void dropsOnlyTheDifferentiationNoiseAndKeepsUtf8() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            QuietStdout.install();
            System.out.println("[1/3] trial");
            System.out.println(QuietStdout.NOISE + "conv2d");
            System.out.println("Genauigkeit 0,9 – gut");
            System.out.flush();
        } finally {
            System.setOut(original);
        }
        assertEquals("[1/3] trial\nGenauigkeit 0,9 – gut\n", captured.toString(StandardCharsets.UTF_8));
    }
}
