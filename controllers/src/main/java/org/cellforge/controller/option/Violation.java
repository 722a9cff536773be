package org.cellforge.controller.option;

import java.util.Objects;

/**
 * A field of a request at fault and why, for error answers that name the field.
 *
 * @param field the field's path, such as {@code options.population}
 * @param reason what is wrong and what would be accepted
 */
public record Violation(String field, String reason) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** The same violation under {@code prefix}, such as {@code options}. */
    public Violation under(String prefix) {
        return new Violation(prefix + "." + field, reason);
    }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
