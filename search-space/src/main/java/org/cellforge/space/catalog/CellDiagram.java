package org.cellforge.space.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cellforge.space.Architecture;
import org.cellforge.space.darts.DartsGenotype;
import org.cellforge.space.json.Json;
import org.cellforge.space.nb201.Nb201Cell;

/**
 * The cells of an architecture as graphs to draw: nodes are feature maps, edges the operations between
 * them. Layout is left to the drawing; this says only what is connected to what, so a drawing of a
 * stored architecture cannot disagree with the architecture itself.
 *
 * <p>Edges whose operation is {@code none} are left out: they carry nothing. A DARTS cell's output node
 * is fed by its {@code concat} nodes through edges with an empty operation (a concatenation, not a
 * searched operation).
 *
 * @param cells one graph per cell kind: NAS-Bench-201 has one cell, DARTS a normal and a reduction cell
 */
public record CellDiagram(List<Cell> cells) {

    /** Name of the operation that connects nothing, left out of diagrams. */
    public static final String NONE = "none";

    /**
     * One cell.
     *
     * @param name what the cell is, shown as its caption
     * @param nodes its nodes, inputs first, output last
     * @param edges its operations
     */
    public record Cell(String name, List<Node> nodes, List<Edge> edges) {
        public Cell {
            Objects.requireNonNull(name, "name");
            nodes = List.copyOf(nodes);
            edges = List.copyOf(edges);
        }
    }

    /**
     * A feature map.
     *
     * @param id unique within its cell
     * @param label what is written on it
     */
    public record Node(String id, String label) {
    }

    /**
     * An operation from one node to another; {@code op} is empty for a DARTS cell's concatenation.
     *
     * @param from id of the node read
     * @param to id of the node written
     * @param op operation name
     */
    public record Edge(String from, String to, String op) {
    }

    public CellDiagram {
        cells = List.copyOf(cells);
    }

    /**
     * The diagram of an architecture of a known space.
     *
     * @throws IllegalArgumentException if its type belongs to no known space
     */
    public static CellDiagram of(Architecture architecture) {
        return switch (architecture) {
            case Nb201Cell cell -> nb201(cell);
            case DartsGenotype genotype -> new CellDiagram(List.of(
                    darts("normal cell", genotype, DartsGenotype.CellKind.NORMAL),
                    darts("reduction cell", genotype, DartsGenotype.CellKind.REDUCE)));
            default -> throw new IllegalArgumentException("no cell diagram for architectures of space '"
                    + architecture.space() + "'");
        };
    }

    private static CellDiagram nb201(Nb201Cell cell) {
        List<Node> nodes = new ArrayList<>();
        for (int n = 0; n < Nb201Cell.NODES; n++) {
            nodes.add(new Node(String.valueOf(n), n == 0 ? "in" : n == Nb201Cell.NODES - 1 ? "out" : String.valueOf(n)));
        }
        List<Edge> edges = new ArrayList<>();
        for (int e = 0; e < Nb201Cell.EDGES; e++) {
            if (!NONE.equals(cell.op(e))) {
                edges.add(new Edge(String.valueOf(Nb201Cell.from(e)), String.valueOf(Nb201Cell.to(e)), cell.op(e)));
            }
        }
        return new CellDiagram(List.of(new Cell("cell", nodes, edges)));
    }

    private static Cell darts(String name, DartsGenotype genotype, DartsGenotype.CellKind kind) {
        List<Node> nodes = new ArrayList<>(List.of(new Node("0", "c_{k-2}"), new Node("1", "c_{k-1}")));
        int steps = genotype.steps();
        for (int i = 0; i < steps; i++) {
            nodes.add(new Node(String.valueOf(i + 2), String.valueOf(i)));
        }
        nodes.add(new Node("out", "c_{k}"));
        List<Edge> edges = new ArrayList<>();
        List<DartsGenotype.Edge> ops = genotype.edges(kind);
        for (int k = 0; k < ops.size(); k++) {
            DartsGenotype.Edge op = ops.get(k);
            if (!NONE.equals(op.op())) {
                edges.add(new Edge(String.valueOf(op.input()), String.valueOf(k / 2 + 2), op.op()));
            }
        }
        for (int node : genotype.concat(kind)) {
            edges.add(new Edge(String.valueOf(node), "out", ""));
        }
        return new Cell(name, nodes, edges);
    }

    /** The operations drawn, cell by cell in order, concatenations left out. */
    public List<String> ops() {
        return cells.stream().flatMap(c -> c.edges().stream()).map(Edge::op).filter(op -> !op.isEmpty()).toList();
    }

    /** The JSON form the dashboard's drawing reads: {@code {"cells": [{"name", "nodes": [{"id", "label"}], "edges": [{"from", "to", "op"}]}]}}. */
    public String toJson() {
        List<Object> out = new ArrayList<>();
        for (Cell c : cells) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("name", c.name());
            cell.put("nodes", c.nodes().stream().map(n -> Map.of("id", n.id(), "label", n.label())).toList());
            cell.put("edges", c.edges().stream().map(e -> Map.of("from", e.from(), "to", e.to(), "op", e.op())).toList());
            out.add(cell);
        }
        return Json.write(Map.of("cells", out));
    }
}
