package org.cellforge.evaluator.data;

import java.io.Serial;

/** A dataset file that is missing, unreadable or not in the expected format; the message says which. */
public final class DatasetException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
