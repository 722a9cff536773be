package org.cellforge.space.ops;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The candidate operations of a search space: distinct, registered, in a fixed order that encodings use. */
public final class OpSet {

    private final List<Op> ops;
    private final List<String> names;
    private final Map<String, Op> byName;

    private OpSet(List<Op> ops) {
        this.ops = List.copyOf(ops);
        this.names = ops.stream().map(Op::name).toList();
        Map<String, Op> map = new LinkedHashMap<>();
        ops.forEach(op -> map.put(op.name(), op));
        this.byName = map;
    }

    /**
     * The operations called {@code names} in {@code registry}.
     *
     * @throws IllegalArgumentException if the list is empty, has duplicates or unknown names
     */
    public static OpSet of(OpRegistry registry, List<String> names) {
        Objects.requireNonNull(names, "ops");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one operation");
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("operation names must be distinct, got " + names);
        }
        return new OpSet(names.stream().map(registry::get).toList());
    }

    /** The operations in order. */
    public List<Op> ops() {
        return ops;
    }

    /** Their names in order. */
    public List<String> names() {
        return names;
    }

    /** Whether an operation of that name is in the set. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The operation called {@code name}.
     *
     * @throws IllegalArgumentException naming the operations the set has
     */
    public Op get(String name) {
        Op op = byName.get(name);
        if (op == null) {
            throw new IllegalArgumentException("operation '" + name + "' is not in this space; it has " + names);
        }
        return op;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpSet other && ops.equals(other.ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
