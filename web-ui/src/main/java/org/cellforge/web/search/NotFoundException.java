package org.cellforge.web.search;

import java.io.Serial;

/** A search or trial that does not exist. */
public final class NotFoundException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
