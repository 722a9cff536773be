package org.cellforge.space.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.json.JsonNode;

/**
 * Immutable name → operation table. The built-in table holds the operations of NAS-Bench-201 and
 * DARTS plus max pooling and squeeze-and-excitation; {@link #with(Op)} and {@link #withConfig(String)}
 * return a larger table, so that new operations come from configuration and controllers never change.
 */
public final class OpRegistry {

    /** Format name of the configuration file. */
    public static final String FORMAT = "cellforge-ops";

    /** The configuration version this code writes and reads. */
    public static final int VERSION = 1;

    private static final OpRegistry BUILT_IN = new OpRegistry(new LinkedHashMap<>()).withAll(List.of(
            Op.of("none", OpType.ZERO),
            Op.of("skip_connect", OpType.IDENTITY),
            Op.of("nor_conv_1x1", OpType.CONV, 1),
            Op.of("nor_conv_3x3", OpType.CONV, 3),
            Op.of("avg_pool_3x3", OpType.AVG_POOL, 3),
            Op.of("max_pool_3x3", OpType.MAX_POOL, 3),
            Op.of("sep_conv_3x3", OpType.SEP_CONV, 3),
            Op.of("sep_conv_5x5", OpType.SEP_CONV, 5),
            Op.of("dil_conv_3x3", OpType.DIL_CONV, 3),
            Op.of("dil_conv_5x5", OpType.DIL_CONV, 5),
            Op.squeezeExcite("squeeze_excite", 4)));

    private final Map<String, Op> ops;

    private OpRegistry(Map<String, Op> ops) {
        this.ops = ops;
    }

    /** The built-in operations. */
    public static OpRegistry builtIn() {
        return BUILT_IN;
    }

    /**
     * This table plus {@code op}. Registering the same definition again is allowed; giving an existing
     * name another definition is not, because stored architectures would change meaning.
     */
    public OpRegistry with(Op op) {
        return withAll(List.of(op));
    }

    /** This table plus all of {@code added}, under the rules of {@link #with(Op)}. */
    public OpRegistry withAll(Collection<Op> added) {
        Map<String, Op> copy = new LinkedHashMap<>(ops);
        for (Op op : added) {
            Op old = copy.putIfAbsent(op.name(), op);
            if (old != null && !old.equals(op)) {
                throw new IllegalArgumentException("operation '" + op.name() + "' is already defined as "
                        + old.signature() + "; choose another name for " + op.signature());
            }
        }
        return new OpRegistry(copy);
    }

    /**
     * The operation called {@code name}.
     *
     * @throws IllegalArgumentException naming the known operations
     */
    public Op get(String name) {
        Op op = ops.get(name);
        if (op == null) {
            throw new IllegalArgumentException("unknown operation '" + name + "'; known: " + names());
        }
        return op;
    }

    /** The operation called {@code name}, if registered. */
    public Optional<Op> find(String name) {
        return Optional.ofNullable(ops.get(name));
    }

    /** Registered names in registration order. */
    public List<String> names() {
        return List.copyOf(ops.keySet());
    }

    /** Every registered operation in registration order. */
    public List<Op> ops() {
        return List.copyOf(ops.values());
    }

    /**
     * This table plus the operations of a configuration file:
     * <pre>{@code
     * {"format": "cellforge-ops", "version": 1,
     *  "ops": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5},
     *          {"name": "se_8", "type": "squeeze_excite", "reduction": 8}]}
     * }</pre>
     * Fields a type does not use must be left out; {@code dilation} defaults to 1 for {@code conv} and
     * 2 for {@code dil_conv}, {@code reduction} to 4.
     *
     * @throws JsonFormatException naming the field that is wrong
     */
    public OpRegistry withConfig(String json) {
        JsonNode root = Json.read(json).only(Set.of("format", "version", "ops"));
        root.header(FORMAT, VERSION);
        List<Op> added = new ArrayList<>();
        for (JsonNode def : root.get("ops").elements()) {
            added.add(readOp(def));
        }
        try {
            return withAll(added);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(root.get("ops").path(), e.getMessage());
        }
    }

    /** Reads one operation definition object. */
    public static Op readOp(JsonNode def) {
        def.only(Set.of("name", "type", "kernel", "dilation", "reduction"));
        String name = def.get("name").string();
        OpType type;
        try {
            type = OpType.fromConfigName(def.get("type").string());
        } catch (IllegalArgumentException e) {
            throw def.get("type").error(e.getMessage());
        }
        int kernel = def.has("kernel") ? def.get("kernel").integer() : 1;
        int dilation = def.has("dilation") ? def.get("dilation").integer() : type == OpType.DIL_CONV ? 2 : 1;
        int reduction = def.has("reduction") ? def.get("reduction").integer() : type == OpType.SQUEEZE_EXCITE ? 4 : 1;
        try {
            return new Op(name, type, kernel, dilation, reduction);
        } catch (IllegalArgumentException e) {
            throw def.error(e.getMessage());
        }
    }

    /** One operation definition as written by the configuration file. */
    public static Map<String, Object> writeOp(Op op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", op.name());
        m.put("type", op.type().configName());
        if (op.kernel() != 1) {
            m.put("kernel", op.kernel());
        }
        if (op.type() == OpType.CONV || op.type() == OpType.DIL_CONV) {
            m.put("dilation", op.dilation());
        }
        if (op.type() == OpType.SQUEEZE_EXCITE) {
            m.put("reduction", op.reduction());
        }
        return m;
    }

    /** The operations registered beyond the built-in ones, as a configuration file. */
    public String toConfig() {
        List<Object> defs = new ArrayList<>();
        for (Op op : ops.values()) {
            if (!BUILT_IN.ops.containsKey(op.name())) {
                defs.add(writeOp(op));
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("ops", defs);
        return Json.write(root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpRegistry other && ops.equals(other.ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    @Override
    public String toString() {
        return "OpRegistry" + ops.values();
    }
}
