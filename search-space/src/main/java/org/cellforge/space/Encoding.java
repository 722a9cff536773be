package org.cellforge.space;

/**
 * A fixed-length integer vector form of a space's architectures, for genetic chromosomes and policy
 * outputs: position {@code i} takes values {@code 0 .. cardinality(i) - 1} and every such vector
 * decodes to an architecture of the space.
 *
 * @param <A> the architecture type
 */
public interface Encoding<A extends Architecture> {

    /** Number of positions. */
    int length();

    /** Number of values position {@code i} can take. */
    int cardinality(int position);

    /** What position {@code i} chooses, for logs and policy outputs, such as {@code edge 1->2 op}. */
    String describe(int position);

    /**
     * The vector of an architecture.
     *
     * @throws IllegalArgumentException if the architecture is not in the space
     */
    int[] encode(A architecture);

    /**
     * The architecture of a vector.
     *
     * @throws IllegalArgumentException naming the position whose value is out of range
     */
    A decode(int[] genes);

    /** Checks length and ranges, naming the first bad position. */
    default void check(int[] genes) {
        if (genes.length != length()) {
            throw new IllegalArgumentException("expected " + length() + " values, got " + genes.length);
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] >= cardinality(i)) {
                throw new IllegalArgumentException("value " + genes[i] + " at position " + i + " (" + describe(i)
                        + ") must be in [0, " + cardinality(i) + ")");
            }
        }
    }
}
