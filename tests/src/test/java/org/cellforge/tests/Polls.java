package org.cellforge.tests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for a state another process or thread brings about: no test sleeps for a fixed time. */
final class Polls {

    private static final long EVERY_MILLIS = 200;

    private Polls() {
    }

    /**
     * Checks {@code condition} every fifth of a second until it holds.
     *
     * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
     */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
