package org.cellforge.web.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.cellforge.engine.Retraining;

/** How numbers and times read in the dashboard. */
final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Format() {
    }

    static String accuracy(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    /**
     * A retrained test accuracy, followed by its test-time augmentation when the predictions averaged
     * views of each image: {@code 0.9399 (flip)}; empty without an accuracy.
     */
    static String testAccuracy(Double value, String testTimeAugmentation) {
        return value == null || Retraining.NO_TEST_TIME_AUGMENTATION.equals(testTimeAugmentation) ? accuracy(value)
                : accuracy(value) + " (" + testTimeAugmentation + ")";
    }

    /** A duration as people read it: {@code 45 s}, {@code 12 min}, {@code 1 h 05 min}. */
    static String duration(java.time.Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    static String instant(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
