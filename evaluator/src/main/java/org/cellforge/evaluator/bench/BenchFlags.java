package org.cellforge.evaluator.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --key value} flags of a benchmark, over its defaults, with errors that name the flag. */
final class BenchFlags {

    private final Map<String, String> values;

    private BenchFlags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} over {@code defaults}; only flags the defaults name are accepted.
     *
     * @throws IllegalArgumentException naming an unknown flag or one without a value, followed by {@code usage}
     */
    static BenchFlags parse(String[] args, Map<String, String> defaults, String usage) {
        Map<String, String> o = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!o.containsKey(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException((o.containsKey(key) ? "flag " + args[i] + " needs a value"
                        : "unknown flag '" + args[i] + "'") + "\n" + usage);
            }
            o.put(key, args[++i]);
        }
        return new BenchFlags(o);
    }

    /** Whether {@code args} ask for help. */
    static boolean help(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    String get(String key) {
        return values.get(key);
    }

    /**
     * The flag {@code key} as a positive whole number.
     *
     * @throws IllegalArgumentException naming the flag otherwise
     */
    int positive(String key) {
        try {
            int v = Integer.parseInt(values.get(key));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be a positive whole number, got '" + values.get(key)
                + "'");
    }
}
