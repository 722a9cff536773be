package org.cellforge.web;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Drops the line SameDiff prints to standard output for every operation it differentiates
 * ("Added differentiated op ..."), which this ND4J release writes with println rather than
 * through a logger. Without this, the command line's progress lines drown in it.
 */
final class QuietStdout extends OutputStream {

    static final String NOISE = "Added differentiated op ";

    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private QuietStdout(PrintStream target) {
        this.target = target;
    }

    /** Replaces {@link System#out} with a filtering stream. */
    static void install() {
        System.setOut(new PrintStream(new QuietStdout(System.out), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!text.startsWith(NOISE)) {
            target.print(text);
        }
    }
}
