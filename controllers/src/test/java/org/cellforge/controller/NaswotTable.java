package org.cellforge.controller;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;

/**
 * The NASWOT score of every function of the standard NAS-Bench-201 space, read from
 * {@code nb201-naswot.tsv} next to this class: an objective whose optimum is known, so that tests
 * can say how quickly a search strategy finds the best architectures. The evaluator's
 * {@code org.cellforge.evaluator.proxy.NaswotTable} writes the file; its header names the settings
 * and the command.
 *
 * <p>Rows are canonical classes: every arch string is looked up through its canonical hash, so
 * strings that compute the same function share a score and a cost (that of the class's
 * representative). Degenerate classes, whose output ignores the input, score minus infinity.
 */
public final class NaswotTable {

    /** The resource, next to this class. */
    public static final String RESOURCE = "nb201-naswot.tsv";

    private static final int FIELDS = 5;

    /**
     * One canonical class.
     *
     * @param hash canonical hash of the class
     * @param representative the arch string that was scored
     * @param score its NASWOT score; minus infinity for a degenerate class
     * @param cost parameters and FLOPs of its network
     */
    public record Entry(String hash, Nb201Cell representative, double score, Cost cost) {
    }

    private final List<String> header;
    private final Map<String, Entry> byHash;
    private final Map<String, Integer> rank = new HashMap<>();
    private final double minFinite;
    private final double maxFinite;
    private final long maxParameters;

    private NaswotTable(List<String> header, Map<String, Entry> byHash) {
        this.header = List.copyOf(header);
        this.byHash = Collections.unmodifiableMap(byHash);
        List<Entry> ordered = new ArrayList<>(byHash.values());
        // A stable sort: equal scores keep file order, so ranks and the top sets are fixed by the file.
        ordered.sort(Comparator.comparingDouble(Entry::score).reversed());
        for (int i = 0; i < ordered.size(); i++) {
            rank.put(ordered.get(i).hash(), i);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long params = 0;
        for (Entry e : byHash.values()) {
            if (Double.isFinite(e.score())) {
                lo = Math.min(lo, e.score());
                hi = Math.max(hi, e.score());
            }
            params = Math.max(params, e.cost().parameters());
        }
        if (!(lo < hi)) {
            throw new IllegalStateException("the table needs at least two different finite scores to map them"
                    + " onto [0, 1]");
        }
        this.minFinite = lo;
        this.maxFinite = hi;
        this.maxParameters = params;
    }

    private static final class Holder {
        static final NaswotTable TABLE = read();
    }

    /** The table of the test resources, read once per JVM. */
    public static NaswotTable load() {
        return Holder.TABLE;
    }

    private static NaswotTable read() {
        try (InputStream in = NaswotTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the lines of a table: {@code #} lines are the header, every other non-blank line a row of
     * hash, arch string, score, parameters and FLOPs separated by tabs.
     *
     * @throws IllegalArgumentException naming the line, if a row is malformed, its arch string does
     *     not have its hash, or a hash comes twice
     */
    static NaswotTable parse(List<String> lines) {
        Nb201Space space = Nb201Space.standard();
        List<String> header = new ArrayList<>();
        Map<String, Entry> rows = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                header.add(line);
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String where = "line " + (i + 1) + " of " + RESOURCE + ": ";
            if (f.length != FIELDS) {
                throw new IllegalArgumentException(where + "expected " + FIELDS + " tab-separated fields, got "
                        + f.length);
            }
            Entry e;
            try {
                Nb201Cell cell = space.parse(f[1]);
                e = new Entry(f[0], cell, Double.parseDouble(f[2]), new Cost(Long.parseLong(f[3]),
                        Long.parseLong(f[4])));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ex.getMessage(), ex);
            }
            if (Double.isNaN(e.score()) || e.score() == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(where + "a score is finite or -Infinity, got " + f[2]);
            }
            String own = space.canonical(e.representative()).hash();
            if (!own.equals(e.hash())) {
                throw new IllegalArgumentException(where + f[1] + " has canonical hash " + own + ", not " + f[0]);
            }
            if (rows.putIfAbsent(e.hash(), e) != null) {
                throw new IllegalArgumentException(where + "hash " + e.hash() + " comes twice");
            }
        }
        return new NaswotTable(header, rows);
    }

    /** The {@code #} lines of the file, in order. */
    public List<String> header() {
        return header;
    }

    /** Every class, in file order (encoding order of the representatives). */
    public List<Entry> entries() {
        return List.copyOf(byHash.values());
    }

    /**
     * The class of {@code cell}.
     *
     * @throws IllegalArgumentException if the cell is not in the standard space or its class is missing
     */
    public Entry entry(Nb201Cell cell) {
        String hash = Nb201Space.standard().canonical(cell).hash();
        Entry e = byHash.get(hash);
        if (e == null) {
            throw new IllegalArgumentException(cell.key() + " (class " + hash + ") is not in " + RESOURCE);
        }
        return e;
    }

    /** The NASWOT score of {@code cell}'s class; minus infinity if its output ignores the input. */
    public double score(Nb201Cell cell) {
        return entry(cell).score();
    }

    /**
     * The score mapped linearly onto [0, 1]: the lowest finite score gives 0, the highest 1, a
     * non-finite score 0. Strategies are tuned for accuracies, which live in [0, 1].
     */
    public double accuracyLike(Nb201Cell cell) {
        double s = score(cell);
        return Double.isFinite(s) ? (s - minFinite) / (maxFinite - minFinite) : 0;
    }

    /** Parameters and FLOPs of the network of {@code cell}'s class representative. */
    public Cost cost(Nb201Cell cell) {
        return entry(cell).cost();
    }

    /**
     * Position of {@code cell}'s class when classes are sorted by score, best first, ties in file
     * order: 0 for the best class.
     */
    public int rank(Nb201Cell cell) {
        return rank.get(entry(cell).hash());
    }

    /**
     * Number of classes in the top {@code percent} %: {@code ceil(size() * percent / 100)}, rounded up
     * so that any positive percentage holds at least the best class.
     *
     * @throws IllegalArgumentException unless {@code 0 < percent <= 100}
     */
    public int topCount(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], got " + percent);
        }
        return (int) Math.ceil(size() * percent / 100);
    }

    /**
     * Whether {@code cell}'s class is among the {@link #topCount(double)} best classes by score, ties in
     * file order, so the top set has exactly that many classes.
     */
    public boolean inTop(Nb201Cell cell, double percent) {
        return rank(cell) < topCount(percent);
    }

    /** Number of classes (rows). */
    public int size() {
        return byHash.size();
    }

    /** The lowest finite score, which {@link #accuracyLike} maps to 0. */
    public double minFiniteScore() {
        return minFinite;
    }

    /** The highest score, which {@link #accuracyLike} maps to 1. */
    public double maxFiniteScore() {
        return maxFinite;
    }

    /** The most parameters of any class's network. */
    public long maxParameters() {
        return maxParameters;
    }
}
