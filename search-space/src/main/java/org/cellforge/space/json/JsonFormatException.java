package org.cellforge.space.json;

import java.io.Serial;

/** JSON that cannot be read, or that does not have the expected shape, with where and why. */
public final class JsonFormatException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String where;

    /**
     * @param where the field path (such as {@code $.normal[2].op}) or the text position
     * @param reason what is wrong and how to fix it
     */
    public JsonFormatException(String where, String reason) {
        super(where + ": " + reason);
        this.where = where;
    }

    /** The field path or text position of the problem. */
    public String where() {
        return where;
    }
}
