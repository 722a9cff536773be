package org.cellforge.web.api;

import java.util.List;

/**
 * The body of every error response.
 *
 * @param status HTTP status code
 * @param error short description
 * @param violations fields at fault with reasons (empty when no field is to blame)
 */
public record ApiError(int status, String error, List<Violation> violations) {

    /** One field at fault. */
    public record Violation(String field, String reason) {
    }
}
