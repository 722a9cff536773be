package org.cellforge.space;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cellforge.space.json.Json;
import org.cellforge.space.json.JsonFormatException;
import org.cellforge.space.json.JsonNode;

/**
 * The one JSON document of an architecture, the same for every space and for exports:
 *
 * <pre>{@code
 * {
 *   "format": "cellforge-architecture",
 *   "version": 2,
 *   "space": "nas-bench-201",
 *   "arch": "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|",
 *   "edges": [{"from": 0, "to": 1, "op": "nor_conv_3x3"}, ...],
 *   "macro": {...}, "objectives": {...}, "results": {...}, "provenance": {...}
 * }
 * }</pre>
 *
 * <p>{@code arch} is the space's text form ({@link Architecture#key()}), which storage uses as the
 * key; the structured form follows it (NB201: {@code edges}; DARTS: {@code normal},
 * {@code normal_concat}, {@code reduce}, {@code reduce_concat}) for readers without a parser of the
 * text. The {@link #SECTIONS} come last and only in exports.
 *
 * <p>Reading accepts version 1 and 2 of this format and the old export, and needs the text, the
 * structure or both; when both are given they must describe the same architecture. {@code format}
 * may be left out; every other field outside the ones above is refused, so that a misspelt field is
 * not silently ignored.
 */
public final class ArchitectureJson {

    /** Format name of the document. */
    public static final String FORMAT = "cellforge-architecture";

    /** Version of the document this code writes; it reads this one and every earlier one. */
    public static final int VERSION = 2;

    /**
     * Format name of the old export document (version 1 only, NB201 only), which carried training
     * results as loose top-level fields; reading it takes its architecture and ignores the rest.
     */
    public static final String OLD_EXPORT_FORMAT = "cellforge-genotype";

    /**
     * Names of the optional top-level sections an export adds after the architecture, in the order
     * they are written; each is a JSON object:
     *
     * <ul>
     *   <li>{@code macro}: the network built around the cell (channels, cells, classes, ...);
     *   <li>{@code objectives}: the values the search optimized, by objective name;
     *   <li>{@code results}: what training measured (dataset, accuracy and how it was obtained,
     *       epochs, parameters, FLOPs);
     *   <li>{@code provenance}: where the architecture comes from (search, trial, seed).
     * </ul>
     *
     * Reading an architecture does not look inside them.
     */
    public static final List<String> SECTIONS = List.of("macro", "objectives", "results", "provenance");

    private static final List<String> HEADER = List.of("format", "version", "space", "arch");

    /** The old export's fields besides the header and the NB201 structure, whatever they held. */
    private static final List<String> OLD_EXPORT_EXTRAS = List.of("canonical", "macro", "dataset",
            "validationAccuracy", "accuracyKind", "parameters", "flops", "searchId", "trialNumber", "seed", "epochs");

    private ArchitectureJson() {
    }

    /**
     * How one space reads and writes its architectures inside the shared document; implemented by
     * each {@link SearchSpace}.
     *
     * @param <A> the architecture type
     */
    public interface Form<A extends Architecture> {

        /** The space's name, the document's {@code space}. */
        String space();

        /**
         * Reads the text form, refusing architectures outside the space.
         *
         * @throws ArchitectureFormatException naming the bad part
         */
        A parse(String text);

        /** Names of the top-level fields of the structured form, in the order they are written. */
        List<String> structureFields();

        /** The structured form of a member of the space: a JSON-ready value per {@link #structureFields()} name. */
        Map<String, Object> structure(A architecture);

        /**
         * Reads the structured form from the document's root, refusing architectures outside the space.
         *
         * @throws JsonFormatException naming the field at fault
         */
        A readStructure(JsonNode root);
    }

    /**
     * Writes the current version of the document.
     *
     * @param sections export sections by name (any of {@link #SECTIONS}), each a {@code Map}; written
     *     in the order of {@link #SECTIONS} whatever the map's order
     * @throws IllegalArgumentException naming a section outside {@link #SECTIONS}, one that is not a
     *     map, or content JSON cannot hold
     */
    public static <A extends Architecture> String write(Form<A> form, A architecture, Map<String, ?> sections) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(sections, "sections");
        for (Map.Entry<String, ?> e : sections.entrySet()) {
            if (e.getKey() == null || !SECTIONS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown section \"" + e.getKey()
                        + "\"; an architecture document has the sections " + SECTIONS);
            }
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("section \"" + e.getKey() + "\" must be an object (a Map), got "
                        + e.getValue());
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("space", form.space());
        root.put("arch", architecture.key());
        root.putAll(form.structure(architecture));
        for (String name : SECTIONS) {
            if (sections.containsKey(name)) {
                root.put(name, sections.get(name));
            }
        }
        return Json.write(root);
    }

    /**
     * Reads any version of the document, or the old export, as its architecture.
     *
     * @throws JsonFormatException naming the field at fault, or the line and column of malformed JSON
     */
    public static <A extends Architecture> A read(Form<A> form, String json) {
        JsonNode root = Json.read(json);
        boolean oldExport = false;
        if (root.has("format")) {
            String format = root.get("format").string();
            oldExport = format.equals(OLD_EXPORT_FORMAT);
            if (!oldExport && !format.equals(FORMAT)) {
                throw root.get("format").error("expected \"" + FORMAT + "\" (or \"" + OLD_EXPORT_FORMAT
                        + "\", the old export), got \"" + format + "\"");
            }
        }
        JsonNode versionNode = root.get("version");
        int version = versionNode.integer();
        if (oldExport && version != 1) {
            throw versionNode.error("unsupported version " + version + " of the old export, which only had version 1;"
                    + " later exports are \"" + FORMAT + "\"");
        }
        if (version > VERSION) {
            throw versionNode.error("unsupported version " + version + ", written by a newer Cellforge; this one"
                    + " reads versions 1 to " + VERSION);
        }
        if (version < 1) {
            throw versionNode.error("unsupported version " + version + "; versions start at 1");
        }
        root.only(fields(form, oldExport, version));
        JsonNode space = root.get("space");
        if (!space.string().equals(form.space())) {
            throw space.error("expected \"" + form.space() + "\", got \"" + space.string() + "\"");
        }

        A fromText = null;
        if (root.has("arch")) {
            JsonNode arch = root.get("arch");
            try {
                fromText = form.parse(arch.string());
            } catch (ArchitectureFormatException e) {
                throw arch.error(e.getMessage());
            }
        }
        A fromStructure = form.structureFields().stream().anyMatch(root::has) ? form.readStructure(root) : null;
        if (fromStructure == null) {
            if (fromText == null) {
                throw root.error("needs \"arch\" (the text form) or the structured form " + form.structureFields());
            }
            return fromText;
        }
        if (fromText != null && !fromText.equals(fromStructure)) {
            throw disagreement(form, root, fromText, fromStructure);
        }
        return fromStructure;
    }

    private static Set<String> fields(Form<?> form, boolean oldExport, int version) {
        Set<String> allowed = new LinkedHashSet<>(HEADER);
        allowed.addAll(form.structureFields());
        if (oldExport) {
            allowed.addAll(OLD_EXPORT_EXTRAS);
        } else if (version >= 2) {
            allowed.addAll(SECTIONS);
        }
        return allowed;
    }

    /** Points at the first structure field that differs from what the text says. */
    private static <A extends Architecture> JsonFormatException disagreement(Form<A> form, JsonNode root, A fromText,
            A fromStructure) {
        Map<String, Object> text = form.structure(fromText);
        Map<String, Object> structure = form.structure(fromStructure);
        JsonNode at = form.structureFields().stream()
                .filter(field -> !Objects.equals(text.get(field), structure.get(field)))
                .findFirst().map(root::get).orElse(root.get("arch"));
        return at.error("describes " + fromStructure.key() + " but \"arch\" is " + fromText.key());
    }
}
