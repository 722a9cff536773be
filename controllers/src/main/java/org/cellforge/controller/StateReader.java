package org.cellforge.controller;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reading of a controller's stored state, with errors that name the field's path. Generators
 * are stored as hexadecimal strings because JSON numbers do not keep all 64 bits everywhere.
 */
public final class StateReader {

    private final Map<String, Object> map;
    private final String path;

    private StateReader(Map<String, Object> map, String path) {
        this.map = map;
        this.path = path;
    }

    /** A reader over {@code value}, which must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static StateReader of(Object value, String path) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(path + ": expected an object");
        }
        return new StateReader((Map<String, Object>) m, path);
    }

    /** The underlying map. */
    public Map<String, Object> raw() {
        return map;
    }

    /** Whether the field is present. */
    public boolean has(String field) {
        return map.containsKey(field);
    }

    private Object get(String field) {
        Object v = map.get(field);
        if (v == null) {
            throw new IllegalArgumentException(path + "." + field + ": missing");
        }
        return v;
    }

    private IllegalArgumentException bad(String field, String expected) {
        return new IllegalArgumentException(path + "." + field + ": expected " + expected + ", got " + map.get(field));
    }

    /** A string field. */
    public String string(String field) {
        if (get(field) instanceof String s) {
            return s;
        }
        throw bad(field, "a string");
    }

    /** A number field as a double. */
    public double real(String field) {
        if (get(field) instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(field, "a number");
    }

    /** A whole-number field. */
    public long longValue(String field) {
        Object v = get(field);
        try {
            if (v instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (v instanceof Long || v instanceof Integer || v instanceof Short) {
                return ((Number) v).longValue();
            }
            if (v instanceof java.math.BigInteger b) {
                return b.longValueExact();
            }
        } catch (ArithmeticException e) {
            throw bad(field, "a whole number");
        }
        throw bad(field, "a whole number");
    }

    /** An {@code int} field. */
    public int integer(String field) {
        long v = longValue(field);
        if (v != (int) v) {
            throw bad(field, "an int");
        }
        return (int) v;
    }

    /** A boolean field. */
    public boolean bool(String field) {
        if (get(field) instanceof Boolean b) {
            return b;
        }
        throw bad(field, "true or false");
    }

    /** A generator's state written by {@link #rng(Rng)}. */
    public Rng rng(String field) {
        try {
            return Rng.restore(Long.parseUnsignedLong(string(field), 16));
        } catch (NumberFormatException e) {
            throw bad(field, "a hexadecimal generator state");
        }
    }

    /** How {@link #rng(String)} expects a generator to be written. */
    public static String rng(Rng rng) {
        return Long.toHexString(rng.state());
    }

    /** A nested object. */
    public StateReader object(String field) {
        return of(get(field), path + "." + field);
    }

    /** A list of objects. */
    public List<StateReader> objects(String field) {
        List<StateReader> out = new ArrayList<>();
        int i = 0;
        for (Object o : list(field)) {
            out.add(of(o, path + "." + field + "[" + i++ + "]"));
        }
        return out;
    }

    /** A list of strings. */
    public List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        for (Object o : list(field)) {
            if (!(o instanceof String s)) {
                throw bad(field, "a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    /** A list of numbers as doubles. */
    public double[] reals(String field) {
        List<?> l = list(field);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw bad(field, "a list of numbers");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** A list of whole numbers that fit an {@code int}. */
    public int[] ints(String field) {
        double[] d = reals(field);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || d[i] != (int) d[i]) {
                throw bad(field, "a list of ints");
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    private List<?> list(String field) {
        if (get(field) instanceof List<?> l) {
            return l;
        }
        throw bad(field, "a list");
    }
}
