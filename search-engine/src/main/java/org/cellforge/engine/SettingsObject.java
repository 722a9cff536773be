package org.cellforge.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Options;
import org.cellforge.controller.option.Violation;

/**
 * A request field that is an object of declared settings ({@code supernet}, {@code retraining}):
 * validated with violations named {@code FIELD.SETTING}, and stored normalized.
 *
 * @param field the request field
 * @param declared the settings it may hold
 */
record SettingsObject(String field, List<Option> declared) {

    /** Validates {@code raw} (null: none given), adding violations as {@code field.SETTING}. */
    Options validate(Map<String, Object> raw, List<Violation> violations) {
        List<Violation> found = new ArrayList<>();
        Options o = Options.validate(declared, raw == null ? Map.of() : raw, found);
        found.forEach(f -> violations.add(f.under(field)));
        return o;
    }

    /** {@code raw} with defaults filled and numbers typed; {@code raw} itself if it is not valid (shown as stored). */
    Map<String, Object> normalize(Map<String, Object> raw) {
        List<Violation> v = new ArrayList<>();
        Options o = validate(raw, v);
        return v.isEmpty() ? o.values() : raw;
    }

    /** The validated settings of a valid {@code raw}. */
    Options options(Map<String, Object> raw) {
        List<Violation> v = new ArrayList<>();
        Options o = validate(raw, v);
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("invalid " + field + " settings: " + v);
        }
        return o;
    }
}
