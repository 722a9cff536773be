package org.cellforge.space.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cellforge.space.SearchSpace;
import org.cellforge.space.darts.DartsSpace;
import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.json.JsonNode;
import org.cellforge.space.nb201.Nb201Space;
import org.cellforge.space.ops.Op;
import org.cellforge.space.ops.OpRegistry;

/**
 * The spaces Cellforge knows by name, and space configuration files:
 * <pre>{@code
 * {"format": "cellforge-space", "version": 1, "space": "nas-bench-201",
 *  "define": [{"name": "nor_conv_5x5", "type": "conv", "kernel": 5}],
 *  "ops": ["none", "skip_connect", "nor_conv_3x3", "nor_conv_5x5"]}
 * }</pre>
 * {@code define} adds operations (see {@link OpRegistry#withConfig}); {@code ops} defaults to the
 * space's published set; {@code steps} (DARTS only) to 4.
 */
public final class SpaceCatalog {

    /** Format name of a space configuration file. */
    public static final String FORMAT = "cellforge-space";

    /** The configuration version this code writes and reads. */
    public static final int VERSION = 1;

    /** Names of the known spaces. */
    public static final List<String> NAMES = List.of(Nb201Space.NAME, DartsSpace.NAME);

    private SpaceCatalog() {
    }

    /**
     * The published form of a space.
     *
     * @throws IllegalArgumentException naming the known spaces
     */
    public static SearchSpace<?> standard(String name) {
        return switch (name) {
            case Nb201Space.NAME -> Nb201Space.standard();
            case DartsSpace.NAME -> DartsSpace.standard();
            default -> throw new IllegalArgumentException("unknown search space '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * Reads a space configuration file.
     *
     * @throws JsonFormatException naming the field that is wrong
     */
    public static SearchSpace<?> read(String json) {
        JsonNode root = Json.read(json).only(Set.of("format", "version", "space", "define", "ops", "steps"));
        root.header(FORMAT, VERSION);
        JsonNode nameNode = root.get("space");
        String name = nameNode.string();
        if (!NAMES.contains(name)) {
            throw nameNode.error("unknown search space '" + name + "'; known: " + NAMES);
        }
        OpRegistry registry = OpRegistry.builtIn();
        if (root.has("define")) {
            List<Op> defined = new ArrayList<>();
            for (JsonNode def : root.get("define").elements()) {
                defined.add(OpRegistry.readOp(def));
            }
            try {
                registry = registry.withAll(defined);
            } catch (IllegalArgumentException e) {
                throw root.get("define").error(e.getMessage());
            }
        }
        boolean darts = name.equals(DartsSpace.NAME);
        if (!darts && root.has("steps")) {
            throw root.get("steps").error("only the darts space has steps");
        }
        List<String> ops = root.has("ops") ? root.get("ops").strings()
                : darts ? DartsSpace.STANDARD_OPS : Nb201Space.STANDARD_OPS;
        JsonNode where = root.has("ops") ? root.get("ops") : root;
        try {
            return darts ? DartsSpace.of(registry, ops, root.has("steps") ? root.get("steps").integer() : 4)
                    : Nb201Space.of(registry, ops);
        } catch (JsonFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw (e.getMessage().startsWith("steps") ? root.get("steps") : where).error(e.getMessage());
        }
    }

    /** The configuration file of a space, with the definitions of its non-built-in operations. */
    public static String write(SearchSpace<?> space) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("space", space.name());
        List<Object> defined = new ArrayList<>();
        for (Op op : space.ops()) {
            if (!OpRegistry.builtIn().find(op.name()).map(op::equals).orElse(false)) {
                defined.add(OpRegistry.writeOp(op));
            }
        }
        if (!defined.isEmpty()) {
            root.put("define", defined);
        }
        root.put("ops", space.ops().stream().map(Op::name).toList());
        if (space instanceof DartsSpace d) {
            root.put("steps", d.steps());
        }
        return Json.write(root);
    }
}
