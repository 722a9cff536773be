package org.cellforge.engine;

import java.io.Serial;

/** A search, trial or result that does not exist. */
public final class NotFoundException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
