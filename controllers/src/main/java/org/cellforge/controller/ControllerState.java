package org.cellforge.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cellforge.space.json.Json;

/**
 * The whole state of a controller, versioned and serializable, stored with its search after every
 * tell. Restoring it into a fresh controller of the same kind, space, options and seed continues
 * exactly: the next proposals equal those of an uninterrupted run.
 *
 * @param controller the controller's name, such as {@code evolution}
 * @param version the version of the state's layout that wrote it
 * @param state the state itself, made of maps, lists, strings, numbers and booleans
 */
public record ControllerState(String controller, int version, Map<String, Object> state) {

    /** Format name of the JSON form. */
    public static final String FORMAT = "cellforge-controller-state";

    public ControllerState {
        Objects.requireNonNull(controller, "controller");
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** The JSON form, with format, controller, version and state. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("controller", controller);
        root.put("version", version);
        root.put("state", new LinkedHashMap<>(state));
        return Json.write(root);
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static ControllerState fromJson(String json) {
        StateReader root = StateReader.of(Json.parse(json), "controller state");
        if (!FORMAT.equals(root.string("format"))) {
            throw new IllegalArgumentException("controller state: format must be " + FORMAT + ", got "
                    + root.string("format"));
        }
        return new ControllerState(root.string("controller"), root.integer("version"), root.object("state").raw());
    }

    /**
     * A reader over the state, after checking that it was written by {@code expected} in a version this
     * code reads.
     *
     * @throws IllegalArgumentException if the controller or version do not match
     */
    public StateReader reader(String expected, List<Integer> readableVersions) {
        if (!controller.equals(expected)) {
            throw new IllegalArgumentException("the stored state belongs to controller " + controller + ", not "
                    + expected);
        }
        if (!readableVersions.contains(version)) {
            throw new IllegalArgumentException("controller " + controller + " state version " + version
                    + " cannot be read; this version reads " + readableVersions);
        }
        return StateReader.of(state, controller + " state");
    }
}
