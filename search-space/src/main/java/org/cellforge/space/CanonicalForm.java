package org.cellforge.space;

import java.util.Objects;

/**
 * What an architecture computes, independent of how it is written: architectures with equal canonical
 * forms compute the same function, so a search can skip training the second one.
 *
 * @param space name of the search space
 * @param expression the normal form of the cell output(s), built with {@link CellExpression}
 */
public record CanonicalForm(String space, String expression) {

    public CanonicalForm {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(expression, "expression");
    }

    /** A short, stable key: 16 hex digits of the SHA-256 of space and expression. */
    public String hash() {
        return CellExpression.shortHash(space + "\n" + expression);
    }

    @Override
    public String toString() {
        return space + ":" + expression;
    }
}
