package org.cellforge.space;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.cellforge.space.ops.Op;

/**
 * The function a cell node computes, written as a sum of terms over the cell inputs, in a normal form:
 * sums are flattened and sorted (addition is associative and commutative), zero terms vanish, an
 * identity passes its input's terms on, and a linear operation distributes over its input's terms.
 * Two cells whose outputs have equal normal forms compute the same function for every choice of
 * weights, under the assumption NAS-Bench-201 makes: every operation maps a zero input to zero.
 */
public final class CellExpression {

    /** The zero function. */
    public static final CellExpression ZERO = new CellExpression(List.of());

    private final List<String> terms;

    private CellExpression(List<String> terms) {
        this.terms = terms;
    }

    /** A cell input, such as {@code x} or {@code c_{k-1}}. */
    public static CellExpression input(String name) {
        if (name.isEmpty() || name.contains("+") || name.contains("(") || name.contains(")")) {
            throw new IllegalArgumentException("input name must be non-empty and free of '+', '(' and ')', got " + name);
        }
        return new CellExpression(List.of(name));
    }

    /** The sum of several expressions. */
    public static CellExpression sum(Collection<CellExpression> parts) {
        List<String> all = new ArrayList<>();
        for (CellExpression p : parts) {
            all.addAll(p.terms);
        }
        all.sort(null);
        return new CellExpression(List.copyOf(all));
    }

    /**
     * This expression passed through {@code op} at the given shapes. The label names the operation's
     * definition, not its registered name, so aliases merge; a stride other than 1 is part of it.
     */
    public CellExpression apply(Op op, int in, int out, int stride) {
        String label = op.signature() + (stride == 1 ? "" : "/" + stride);
        return switch (op.role(in, out, stride)) {
            case ZERO -> ZERO;
            case IDENTITY -> this;
            case LINEAR -> {
                List<String> mapped = new ArrayList<>(terms.size());
                for (String t : terms) {
                    mapped.add(label + "(" + t + ")");
                }
                mapped.sort(null);
                yield new CellExpression(List.copyOf(mapped));
            }
            case NONLINEAR -> isZero() ? ZERO : new CellExpression(List.of(label + "(" + this + ")"));
        };
    }

    /** Whether this is the zero function. */
    public boolean isZero() {
        return terms.isEmpty();
    }

    /** The normal form: sorted terms joined by {@code +}, or {@code 0}. */
    @Override
    public String toString() {
        return terms.isEmpty() ? "0" : String.join("+", terms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellExpression other && terms.equals(other.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /** First 16 hex digits of the SHA-256 of {@code text}, as a short stable key. */
    static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
