package org.cellforge.engine;

import java.util.List;
import java.util.Optional;

import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.nb201.Nb201Space;

/** The search spaces users can choose by name. */
public final class Spaces {

    private static final List<SearchSpace<?>> ALL = List.of(Nb201Space.standard(), DartsSpace.standard());

    private Spaces() {
    }

    /** Names of every space, the default first. */
    public static List<String> names() {
        return ALL.stream().map(SearchSpace::name).toList();
    }

    /** The space called {@code name}. */
    public static Optional<SearchSpace<?>> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The space called {@code name}.
     *
     * @throws InvalidRequestException naming the field {@code space}
     */
    public static SearchSpace<?> require(String name) {
        return named(name).orElseThrow(() -> InvalidRequestException.of("space", "unknown search space '" + name
                + "'; supported: " + names()));
    }

    /**
     * The space an architecture's text form belongs to: NB201 arch strings start with {@code |},
     * DARTS genotypes with {@code Genotype(}.
     *
     * @throws IllegalArgumentException if the text looks like neither
     */
    public static SearchSpace<?> ofText(String text) {
        String t = text.strip();
        if (t.startsWith("|")) {
            return Nb201Space.standard();
        }
        if (t.startsWith("Genotype(")) {
            return DartsSpace.standard();
        }
        throw new IllegalArgumentException("'" + text + "' is neither a NAS-Bench-201 arch string (|op~0|+...) nor a "
                + "DARTS genotype (Genotype(normal=[...], ...))");
    }
}
