package org.cellforge.controller.option;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One setting a controller (or another part of a search) accepts: its type, range, default and
 * help text, so that REST, the command line and the dashboard validate and describe it alike.
 *
 * @param name the key in JSON and after {@code --option}
 * @param type what values look like
 * @param defaultValue the value when absent, or null if the setting is optional and off by default
 * @param min smallest accepted number (numbers only)
 * @param max largest accepted number (numbers only)
 * @param choices accepted values (choices only)
 * @param help one sentence for users
 */
public record Option(String name, Type type, Object defaultValue, Double min, Double max, List<String> choices,
        String help) {

    /** What an option's values look like. */
    public enum Type {
        /** A whole number ({@code long} range). */
        INTEGER,
        /** A finite real number. */
        NUMBER,
        /** One of a list of names. */
        CHOICE
    }

    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (type == Type.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException(name + ": a choice needs choices");
        }
    }

    /** A whole number in {@code [min, max]}, {@code defaultValue} when absent (null: off when absent). */
    public static Option integer(String name, Long defaultValue, long min, long max, String help) {
        return new Option(name, Type.INTEGER, defaultValue, (double) min, (double) max, null, help);
    }

    /** A real number in {@code [min, max]}. */
    public static Option number(String name, Double defaultValue, double min, double max, String help) {
        return new Option(name, Type.NUMBER, defaultValue, min, max, null, help);
    }

    /** One of {@code choices}. */
    public static Option choice(String name, String defaultValue, List<String> choices, String help) {
        return new Option(name, Type.CHOICE, defaultValue, null, null, choices, help);
    }

    /**
     * Reads {@code raw} (a JSON number or string, or a command-line string) as this option's value.
     *
     * @return the normalized value: a {@link Long}, {@link Double} or {@link String}
     * @throws IllegalArgumentException saying what was expected
     */
    public Object read(Object raw) {
        return switch (type) {
            case INTEGER -> {
                long v = wholeNumber(raw);
                if (v < min || v > max) {
                    throw new IllegalArgumentException("must be between " + (long) (double) min + " and "
                            + (long) (double) max + ", got " + v);
                }
                yield v;
            }
            case NUMBER -> {
                double v = realNumber(raw);
                if (!(v >= min && v <= max)) {
                    throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + v);
                }
                yield v;
            }
            case CHOICE -> {
                if (!(raw instanceof String s) || !choices.contains(s.strip().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("must be one of " + choices + ", got " + describe(raw));
                }
                yield s.strip().toLowerCase(Locale.ROOT);
            }
        };
    }

    private static long wholeNumber(Object raw) {
        try {
            BigDecimal d = decimal(raw);
            return d.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got " + describe(raw));
        }
    }

    private static double realNumber(Object raw) {
        try {
            double v = decimal(raw).doubleValue();
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a number, got " + describe(raw));
    }

    private static BigDecimal decimal(Object raw) {
        return switch (raw) {
            case BigDecimal d -> d;
            case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case Float f when Float.isFinite(f) -> BigDecimal.valueOf(f.doubleValue());
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case java.math.BigInteger b -> new BigDecimal(b);
            case String s -> new BigDecimal(s.strip());
            case null, default -> throw new NumberFormatException();
        };
    }

    private static String describe(Object raw) {
        return raw instanceof String s ? "'" + s + "'" : String.valueOf(raw);
    }

    /** A one-line description for help texts: name, range or choices, default, help. */
    public String usage() {
        String range = switch (type) {
            case INTEGER -> (long) (double) min + ".." + (long) (double) max;
            case NUMBER -> min + ".." + max;
            case CHOICE -> String.join("|", choices);
        };
        return name + " (" + range + (defaultValue == null ? ", off by default" : ", default " + defaultValue)
                + "): " + help;
    }
}
