package org.cellforge.controller.option;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validated settings: every declared option with its value (or absent when optional and unset).
 * Made only by {@link #validate}, so a controller never sees an unchecked value.
 */
public final class Options {

    private final Map<String, Object> values;

    private Options(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** No options. */
    public static Options none() {
        return new Options(new LinkedHashMap<>());
    }

    /**
     * Checks {@code raw} against {@code declared}: unknown names, wrong types and values out of range
     * are added to {@code violations} (field names are the option names); defaults fill the rest.
     *
     * @param raw names to values as JSON or a command line gives them; null means none
     * @return the options, complete only when nothing was added to {@code violations}
     */
    public static Options validate(List<Option> declared, Map<String, ?> raw, List<Violation> violations) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, ?> given = raw == null ? Map.of() : raw;
        List<String> known = declared.stream().map(Option::name).toList();
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                violations.add(new Violation(name, known.isEmpty() ? "this accepts no options"
                        : "unknown option; accepted: " + known));
            }
        }
        for (Option o : declared) {
            Object v = given.get(o.name());
            if (v == null) {
                if (o.defaultValue() != null) {
                    out.put(o.name(), o.defaultValue());
                }
                continue;
            }
            try {
                out.put(o.name(), o.read(v));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(o.name(), e.getMessage()));
            }
        }
        return new Options(out);
    }

    /** The values by name, in declaration order; what is stored with a search. */
    public Map<String, Object> values() {
        return values;
    }

    /** A whole-number option that has a value (declared with a default, or given). */
    public long integer(String name) {
        return (Long) require(name);
    }

    /** A whole-number option that may be unset. */
    public Optional<Long> optionalInteger(String name) {
        return Optional.ofNullable((Long) values.get(name));
    }

    /** A real-number option. */
    public double number(String name) {
        return (Double) require(name);
    }

    /** A choice option. */
    public String choice(String name) {
        return (String) require(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("option " + name + " has no value; declared options: " + values.keySet());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
